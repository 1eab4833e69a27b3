import { GIB } from './readiness-fixtures';
import { parseQuantity } from '../../../lib/private/readiness/quantity';

describe('parseQuantity', () => {
  test('reads CPU, binary, decimal and exponent quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1Gi')).toBe(GIB);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E')).toBe(1e18);
    expect(parseQuantity('.5')).toBe(0.5);
  });

  test('returns undefined for values that are not quantities', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('1GB')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(parseQuantity({ cpu: 1 })).toBeUndefined();
  });
});
