// 统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET[check]!;
}

export type CreditCodeResult = { ok: true; code: string } | { ok: false; reason: string };

export function validateCreditCode(input: string): CreditCodeResult {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { ok: false, reason: '统一社会信用代码应为18位 / must be 18 characters' };
  if (![...code].every((c) => ALPHABET.includes(c))) {
    return { ok: false, reason: '含有不允许的字符（不含 I、O、Z、S、V） / contains characters not allowed' };
  }
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return { ok: false, reason: '第3-8位应为行政区划代码 / positions 3–8 must be a division code' };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) {
    return { ok: false, reason: '校验位不正确 / the check character is wrong' };
  }
  return { ok: true, code };
}
