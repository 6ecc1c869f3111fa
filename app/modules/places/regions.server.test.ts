import { describe, expect, it } from 'vitest';
import { placeOrder, sellerFulfilments, getOrder } from '~/modules/orders/orders.server';
import { shipTo } from '~/modules/orders/state';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { packingList } from '~/modules/sales/sales.server';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { regionNames } from './places.server';

describe('addresses are shown with their region names, not codes', () => {
  it('names province, city and district; keeps an unknown code visible', async () => {
    expect(await regionNames([
      { provinceCode: '440000', cityCode: '440100', districtCode: '440112' },
      { provinceCode: '520000', cityCode: '520200', districtCode: '520281' },
      { provinceCode: '440000', cityCode: '440100', districtCode: '449999' },
    ])).toEqual(['广东省广州市黄埔区', '贵州省六盘水市盘州市', '广东省广州市449999']);
    expect(await regionNames([])).toEqual([]);
  });

  it('on the buyer’s order, the seller’s parcel list and the packing list', async () => {
    const p = await listedProduct();
    const buyer = await userByEmail('consumer@demo.shanhai.cn');
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
    await recordBankReceipt(1, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `RG-${o.reference}` });
    expect((await getOrder(o.id))!.region).toBe('广东省广州市黄埔区');
    const parcel = (await sellerFulfilments([p.sellerId]))[0]!;
    expect(shipTo(parcel, parcel.order).address).toBe(`广东省广州市黄埔区 ${ADDRESS.street}`);
    const admin = await userByEmail('admin@demo.shanhai.cn');
    const list = await packingList({ permissions: admin.permissions, sellerStaff: [{ isAdmin: true, seller: { id: p.sellerId, slug: '', name: '' } }] } as Parameters<typeof packingList>[0], parcel.id);
    expect(shipTo(list, list.order).address).toBe(`广东省广州市黄埔区 ${ADDRESS.street}`);
  });
});
