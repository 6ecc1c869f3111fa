// POST /webhooks/stripe — verified on the raw body; each event id stored once with its effects.
import type { ActionFunctionArgs } from '@remix-run/node';
import { applyPaymentEvent } from '~/modules/payments/stripe-provider.server';
import { handleStripeWebhook } from '~/modules/payments/webhook.server';

export const action = ({ request }: ActionFunctionArgs) => handleStripeWebhook(request, applyPaymentEvent);

export const loader = () => Response.json({ error: 'POST only' }, { status: 405, headers: { Allow: 'POST' } });
