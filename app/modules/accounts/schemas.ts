// Form schemas shared by server actions and client validation (Conform + Zod): one schema per form.
import { z } from 'zod';

export const emailSchema = z
  .string({ required_error: '请输入邮箱 / Email is required' })
  .trim()
  .toLowerCase()
  .max(254, '邮箱太长 / Email is too long')
  .email('邮箱格式不正确 / Enter a valid email address');

export const passwordSchema = z
  .string({ required_error: '请输入密码 / Password is required' })
  .min(8, '密码至少8位 / At least 8 characters')
  .max(200, '密码太长 / Password is too long');

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string({ required_error: '请输入密码 / Password is required' }).min(1).max(200),
  redirectTo: z.string().optional(),
});

export const signupSchema = z
  .object({
    email: emailSchema,
    name: z.string({ required_error: '请输入姓名 / Name is required' }).trim().min(1).max(50, '姓名太长 / Name is too long'),
    password: passwordSchema,
    confirmPassword: z.string({ required_error: '请再次输入密码 / Confirm your password' }),
    redirectTo: z.string().optional(),
  })
  .refine((d) => d.password === d.confirmPassword, { path: ['confirmPassword'], message: '两次密码不一致 / Passwords do not match' });

