import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { hashPassword, verifyPassword } from './password.server';
import { emailSchema, passwordSchema } from './schemas';

export { loginSchema, signupSchema } from './schemas';

export class EmailTakenError extends Error {}

/** Creates a user with the given roles (default: consumer). Used by sign-up and by the demo seed. */
export async function createUser(
  input: { email: string; name: string; password: string; roles?: string[]; isDemo?: boolean },
  tx: Prisma.TransactionClient = prisma,
) {
  const email = emailSchema.parse(input.email);
  const passwordHash = await hashPassword(passwordSchema.parse(input.password));
  const roles = await tx.role.findMany({ where: { name: { in: input.roles ?? ['consumer'] } }, select: { id: true, name: true } });
  if (roles.length !== (input.roles ?? ['consumer']).length) throw new Error(`Unknown role in ${input.roles?.join(', ')}`);
  try {
    return await tx.user.create({
      data: { email, name: input.name, passwordHash, isDemo: input.isDemo ?? false, roles: { create: roles.map((r) => ({ roleId: r.id })) } },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new EmailTakenError(email);
    throw error;
  }
}

// A fixed hash makes a login for an unknown email cost the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function verifyLogin(email: string, password: string) {
  const user = await prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, passwordHash: true } });
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password-0000');
    await verifyPassword(await dummyHash, password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? { id: user.id } : null;
}
