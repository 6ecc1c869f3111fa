// Labels of the organisation pages (zh, en), shared by server and client.
export const KIND_LABELS = { UNION: ['工会', 'Union'], BUDGET_UNIT: ['预算单位', 'Budget unit'], ENTERPRISE: ['企业', 'Enterprise'] } as const;
export const ROLE_LABELS = { MEMBER: ['成员', 'Member'], BUYER: ['采购员', 'Buyer'], ADMIN: ['管理员', 'Admin'] } as const;
