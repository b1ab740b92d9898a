// The memory budget for bodies not yet verified: its two limits, who is exempt from the
// per-address one, and that every byte taken is given back.
import { describe, expect, it } from 'vitest';
import { BodyBudget } from '../../src/local/body-budget.js';
import { isLoopbackPeer } from '../../src/lib/loopback.js';

describe('BodyBudget', () => {
  it('refuses a take that would pass the process-wide limit, and counts nothing for it', () => {
    const budget = new BodyBudget(100, 1000);
    const a = budget.lease('127.0.0.1');
    const b = budget.lease('127.0.0.1');
    expect(a.take(60)).toBeUndefined();
    expect(b.take(50)).toBe('process');
    expect(budget.held).toBe(60);
    expect(b.take(40)).toBeUndefined();
    expect(budget.held).toBe(100);
  });

  it('limits one non-loopback address to its share, while other addresses still get in', () => {
    const budget = new BodyBudget(1000, 100);
    const first = budget.lease('203.0.113.7');
    const second = budget.lease('203.0.113.7');
    expect(first.take(80)).toBeUndefined();
    expect(second.take(30)).toBe('address');
    expect(budget.lease('198.51.100.1').take(90)).toBeUndefined();
    expect(budget.lease('2001:db8::1').take(90)).toBeUndefined();
  });

  it('applies no per-address limit to loopback peers: behind a tunnel they are everyone', () => {
    const budget = new BodyBudget(1000, 100);
    for (const peer of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', undefined]) {
      expect(budget.lease(peer).take(150)).toBeUndefined();
    }
    expect(budget.held).toBe(750);
  });

  it('gives every byte back on release, once, and forgets an address that holds nothing', () => {
    const budget = new BodyBudget(1000, 500);
    const a = budget.lease('203.0.113.7');
    const b = budget.lease('203.0.113.7');
    a.take(100);
    a.take(200);
    b.take(50);
    expect(budget.held).toBe(350);
    a.release();
    a.release();
    expect(budget.held).toBe(50);
    expect(budget.addresses).toBe(1);
    b.release();
    expect(budget.held).toBe(0);
    expect(budget.addresses).toBe(0);
  });
});

describe('isLoopbackPeer', () => {
  it('knows the loopback forms a socket reports, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.255.0.1', '::1', '::ffff:127.0.0.1']) expect(isLoopbackPeer(a)).toBe(true);
    for (const a of ['10.0.0.1', '192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', '::', '', undefined, '127.example'])
      expect(isLoopbackPeer(a)).toBe(false);
  });
});
