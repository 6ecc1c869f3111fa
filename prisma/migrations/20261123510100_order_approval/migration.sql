-- Issue 7 step 5: organisation orders above the approval threshold wait for an approver.
ALTER TYPE "OrderState" ADD VALUE 'AWAITING_APPROVAL' BEFORE 'AWAITING_PAYMENT';
