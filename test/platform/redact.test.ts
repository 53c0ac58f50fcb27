import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/server/http/redact.js';

describe('logged URLs carry no personal data', () => {
  it('masks sensitive query keys', () => {
    expect(redactUrl('/api/x?phone=13812345678&limit=5')).toBe('/api/x?phone=%5Bredacted%5D&limit=5');
    expect(redactUrl('/api/x?token=abc')).not.toContain('abc');
  });

  it('masks phone and ID numbers anywhere', () => {
    expect(redactUrl('/api/users/13812345678')).toBe('/api/users/[redacted]');
    expect(redactUrl('/api/x?q=35050219900101123X')).not.toContain('35050219900101123X');
  });

  it('leaves ordinary URLs alone', () => {
    expect(redactUrl('/api/regions/350502')).toBe('/api/regions/350502');
  });
});
