import { lineCents, round2, toCents } from '../../service/src/export/money';

describe('money', () => {
  it('when a line ends in exactly half a cent, then it rounds up as QuickBooks does', () => {
    expect(lineCents(2.5, 0.99)).toBe(248);
    expect(lineCents(128.35, 14.5)).toBe(186108);
    expect(lineCents(3, 0.1)).toBe(30);
  });

  it('when amounts are negative, then half a cent rounds away from zero', () => {
    expect(toCents(-1.005)).toBe(-101);
    expect(round2(1.005)).toBe(1.01);
  });

  it('when quantities have four decimals, then the product is still exact', () => {
    expect(lineCents(1.3333, 3)).toBe(400);
    expect(lineCents(0.0001, 0.01)).toBe(0);
  });
});
