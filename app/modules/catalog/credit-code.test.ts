import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, validateCreditCode } from './credit-code';

describe('统一社会信用代码', () => {
  it('accepts a published valid code', () => {
    // Tencent's published code
    expect(validateCreditCode('9144030071526726XG')).toEqual({ ok: true, code: '9144030071526726XG' });
  });
  it('rejects a wrong check character', () => {
    const r = validateCreditCode('9144030071526726X1');
    expect(r.ok).toBe(false);
  });
  it('rejects wrong length and letters outside the alphabet', () => {
    expect(validateCreditCode('123').ok).toBe(false);
    expect(validateCreditCode('9144030071526726IO').ok).toBe(false);
  });
  it('computes check characters that round-trip', () => {
    const base = 'N352028100000001A'.slice(0, 17);
    const c = creditCodeCheckChar(base)!;
    expect(validateCreditCode(base + c).ok).toBe(true);
  });
});
