// Notifications for a seller (shown on its dashboard) or for one user (e.g. an applicant).
import type { NotificationKind, Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { forbidden } from '~/modules/http/http.server';
import type { Actor } from './access.server';

export type NewNotification = {
  kind: NotificationKind;
  sellerId?: number;
  userId?: number;
  productId?: number;
  certificateId?: number;
  titleZh: string;
  titleEn: string;
  bodyZh?: string;
  bodyEn?: string;
  link?: string;
  dedupeKey?: string;
};

export async function notify(n: NewNotification, tx: Prisma.TransactionClient = prisma) {
  return tx.notification.create({ data: n });
}

const listSelect = { id: true, kind: true, titleZh: true, titleEn: true, bodyZh: true, bodyEn: true, link: true, readAt: true, createdAt: true } as const;

/** Unread first, then the most recent. */
export async function sellerNotifications(sellerId: number, take = 20) {
  return prisma.notification.findMany({ where: { sellerId }, select: listSelect, orderBy: [{ readAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }, { id: 'desc' }], take });
}

export async function userNotifications(userId: number, take = 20) {
  return prisma.notification.findMany({ where: { userId }, select: listSelect, orderBy: [{ readAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }, { id: 'desc' }], take });
}

/** Marks a notification read if it is addressed to the actor or to a seller they work for. */
export async function markNotificationRead(actor: Actor, id: number) {
  const n = await prisma.notification.findUnique({ where: { id }, select: { sellerId: true, userId: true } });
  const mine = n && ((n.userId !== null && n.userId === actor.id) || (n.sellerId !== null && actor.sellerStaff.some((s) => s.seller.id === n.sellerId)));
  if (!mine) forbidden('这不是您的通知 / Not your notification');
  await prisma.notification.updateMany({ where: { id, readAt: null }, data: { readAt: new Date() } });
}
