// The ids `attune import` sends, pinned to what it sent before its hashing moved to src/hash/ (issue 22): the edge
// drops a repeated messageId, so importing a file again after an upgrade must send the very same ids.
import { describe, expect, it } from 'vitest';
import { aliasMessageId, customerMessageId, namingId, orderMessageId, userIdOf } from './import-ids.js';

describe('import ids stay what they were', () => {
  it('user ids: the customer id, else the hashed email, else the hashed E.164 phone', async () => {
    expect(await userIdOf(namingId({ customerId: 'C1', email: 'ada@example.com' })!)).toBe('C1');
    expect(await userIdOf(namingId({ email: 'ada@example.com', phone: '+491512345678' })!)).toBe('sha256:b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72');
    expect(await userIdOf(namingId({ phone: '+491512345678' })!)).toBe('sha256:8b4e479827e2bbd1b1883e7a808e7f18d2e834c2830b8451f7e47659b8ff1257');
    expect(namingId({})).toBeUndefined();
  });

  it('messageIds of customers, orders and aliases', async () => {
    expect(await customerMessageId('C1', { firstName: 'Ada', email: 'ada@example.com' })).toBe('import:customers:8af58c5a1f9d6bea669375f84b7ec20de24e78cb0480b8dae5a57b767a3d1ede');
    expect(await customerMessageId('sha256:abc', { name: 'Zoë 🙂' })).toBe('import:customers:021a6c407810e034a63039e2920a8d851083c858aa545bc489fb4f32c01ea2c6');
    expect(await orderMessageId('O-1')).toBe('import:orders:O-1');
    expect(await orderMessageId('o'.repeat(121))).toBe('import:orders:2a0a70290b5627175c3ce5feaaadf124e219f11f3d9cdc0e1688e52f89c3eea4'); // longer than 120: hashed
    expect(await orderMessageId('ü'.repeat(130))).toBe('import:orders:57ab9343543b45a2950b58327c4eb854803f2bcbdf8bf46028af213967622a7a');
    expect(await aliasMessageId('C2', 'C1')).toBe('import:alias:5fb436b26c79250db758bcd737ded38161bc03361920bce02c344c00f822488d');
    expect(await aliasMessageId('sha256:x', 'Zoë')).toBe('import:alias:a1790301f6fc84956994b034a9277bea74ead3055dbe3740137f77611436d189');
  });
});
