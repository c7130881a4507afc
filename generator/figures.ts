// Published figures of the full Olist data set (scale 1) and the shapes measured on sample-1k that drive the generator.

/** Row counts of the full data set. */
export const FULL = {
  orders: 99_441,
  persons: 96_096,
  items: 112_650,
  payments: 103_886,
  reviews: 99_224,
  reviewIds: 98_410,
  reviewedOrders: 98_673,
  products: 32_951,
  sellers: 3_095,
  geolocation: 1_000_163,
  geolocationDuplicates: 261_831,
  geolocationZips: 19_015,
  ordersWithoutItems: 775,
} as const;

/** First and last purchase of the full data set (naive local time, as in the files). */
export const PURCHASE_FIRST = '2016-09-04 21:15:19';
export const PURCHASE_LAST = '2018-10-17 17:30:18';

export const STATUSES = ['delivered', 'shipped', 'canceled', 'unavailable', 'invoiced', 'processing', 'created', 'approved'] as const;
export type OrderStatus = (typeof STATUSES)[number];
export const STATUS_COUNTS: Record<OrderStatus, number> = {
  delivered: 96_478,
  shipped: 1_107,
  canceled: 625,
  unavailable: 609,
  invoiced: 314,
  processing: 301,
  created: 5,
  approved: 2,
};

/**
 * Orders without items per status (775 in all). The real file also has 2 invoiced and 1 shipped order without
 * items; they are counted as canceled here so that only statuses that can end before fulfilment lack items.
 */
export const ITEMLESS_BY_STATUS: Partial<Record<OrderStatus, number>> = { unavailable: 603, canceled: 167, created: 5 };

/** Orders per purchase month in the full data set (sums to 99,441); sample-1k follows the same ramp. */
export const MONTH_COUNTS: ReadonlyArray<readonly [string, number]> = [
  ['2016-09', 4],
  ['2016-10', 324],
  ['2016-12', 1],
  ['2017-01', 800],
  ['2017-02', 1_780],
  ['2017-03', 2_682],
  ['2017-04', 2_404],
  ['2017-05', 3_700],
  ['2017-06', 3_245],
  ['2017-07', 4_026],
  ['2017-08', 4_331],
  ['2017-09', 4_285],
  ['2017-10', 4_631],
  ['2017-11', 7_544],
  ['2017-12', 5_673],
  ['2018-01', 7_269],
  ['2018-02', 6_728],
  ['2018-03', 7_211],
  ['2018-04', 6_939],
  ['2018-05', 6_873],
  ['2018-06', 6_167],
  ['2018-07', 6_292],
  ['2018-08', 6_512],
  ['2018-09', 16],
  ['2018-10', 4],
];

/** Months whose orders are all canceled (the export ends before they could be fulfilled). */
export const CANCELED_ONLY_FROM_MONTH = '2018-09';

/** Purchases per hour of day (full data set; sample-1k has the same shape: a trough at 3–5 h, a plateau 10–22 h). */
export const HOUR_WEIGHTS = [
  2_394, 1_170, 510, 272, 206, 188, 502, 1_231, 2_967, 4_785, 6_177, 6_578, 5_995, 6_518, 6_569, 6_454, 6_675, 6_150, 5_769, 5_982, 6_193,
  6_217, 5_816, 4_123,
];

/** Purchases per weekday, Sunday first (sample-1k: 126, 160, 168, 153, 147, 137, 109). */
export const WEEKDAY_WEIGHTS = [11_960, 16_196, 15_963, 15_552, 14_761, 14_122, 10_887];

/** Extra weight of single days (Black Friday 2017 and the weekend after it). */
export const DAY_BOOST: Readonly<Record<string, number>> = {
  '2017-11-24': 4.6,
  '2017-11-25': 2.0,
  '2017-11-26': 1.6,
  '2017-11-27': 1.6,
};

/** Orders by number of items, among the 98,666 orders with items (sums to 112,650 items). */
export const ITEMS_PER_ORDER: ReadonlyArray<readonly [number, number]> = [
  [1, 88_863],
  [2, 7_516],
  [3, 1_322],
  [4, 505],
  [5, 204],
  [6, 198],
  [7, 22],
  [8, 8],
  [9, 3],
  [10, 8],
  [11, 4],
  [12, 5],
  [13, 1],
  [14, 2],
  [15, 2],
  [20, 2],
  [21, 1],
];

/** Share of multi-item orders whose items are all the same product (sample-1k: 68 of 96). */
export const MULTI_ITEM_SAME_PRODUCT = 0.71;
/** Share of multi-product orders whose products come from one seller (sample-1k: 19 of 28). */
export const MULTI_PRODUCT_SAME_SELLER = 0.68;

/** Orders by number of payment rows (one order in the real file has none; here every order has at least one). */
export const PAYMENTS_PER_ORDER: ReadonlyArray<readonly [number, number]> = [
  [1, 96_477],
  [2, 2_335],
  [3, 301],
  [4, 108],
  [5, 52],
  [6, 36],
  [7, 28],
  [8, 11],
  [9, 9],
  [10, 5],
  [11, 8],
  [12, 8],
  [13, 3],
  [14, 2],
  [15, 2],
  [16, 2],
  [18, 1],
  [19, 2],
  [21, 1],
  [22, 1],
  [26, 1],
  [29, 1],
];

/** Payment type of single-payment orders (row totals of the real file: credit_card 76,795, boleto 19,784, voucher 5,775, debit_card 1,529, not_defined 3). */
export const SINGLE_PAYMENT_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['credit_card', 73_952],
  ['boleto', 19_784],
  ['voucher', 1_212],
  ['debit_card', 1_529],
];
export const NOT_DEFINED_PAYMENTS = 3;

/** Credit-card installments (the real file: 0 to 24). */
export const CARD_INSTALLMENTS: ReadonlyArray<readonly [number, number]> = [
  [0, 2],
  [1, 25_455],
  [2, 12_413],
  [3, 10_461],
  [4, 7_098],
  [5, 5_239],
  [6, 3_920],
  [7, 1_626],
  [8, 4_268],
  [9, 644],
  [10, 5_328],
  [11, 23],
  [12, 133],
  [13, 16],
  [14, 15],
  [15, 74],
  [16, 5],
  [17, 8],
  [18, 27],
  [20, 17],
  [21, 3],
  [22, 1],
  [23, 1],
  [24, 18],
];

/** Repeat buyers: persons by number of orders (2,997 persons, 3.12%; the most active has 17). */
export const REPEAT_BUYERS: ReadonlyArray<readonly [number, number]> = [
  [2, 2_745],
  [3, 203],
  [4, 30],
  [5, 8],
  [6, 6],
  [7, 3],
  [9, 1],
  [17, 1],
];

/** Pairs of orders (same person, placed together) that share one review id: 99,224 rows − 98,410 ids. */
export const SHARED_REVIEW_PAIRS = 814;
/** Orders with 2 and 3 reviews (99,224 rows − 98,673 reviewed orders = 551 extra rows). */
export const MULTI_REVIEW_ORDERS: ReadonlyArray<readonly [number, number]> = [
  [2, 547],
  [3, 2],
];

/** Review scores of the full data set (mean 4.086). */
export const REVIEW_SCORES = [11_424, 3_151, 8_179, 19_142, 57_328];

/** Score distributions by delivery outcome (sample-1k: late 2.37, on time 4.27, not delivered 1.54 on average). */
export const SCORES_NOT_DELIVERED = [0.7, 0.08, 0.08, 0.04, 0.1];
export const SCORES_LATE = [0.47, 0.09, 0.13, 0.12, 0.19];

/** Probability of a comment title / message by score (sample-1k; overall 11.7% titles, 41.3% messages). */
export const TITLE_BY_SCORE = [0.136, 0.26, 0.15, 0.084, 0.13];
export const MESSAGE_BY_SCORE = [0.737, 0.735, 0.448, 0.337, 0.357];

/** Customers per state (full data set); states without reference zip codes are skipped. */
export const CUSTOMER_STATES: Readonly<Record<string, number>> = {
  SP: 41_746,
  RJ: 12_852,
  MG: 11_635,
  RS: 5_466,
  PR: 5_045,
  SC: 3_637,
  BA: 3_380,
  DF: 2_140,
  ES: 2_033,
  GO: 2_020,
  PE: 1_652,
  CE: 1_336,
  PA: 975,
  MT: 907,
  MA: 747,
  MS: 715,
  PB: 536,
  PI: 495,
  RN: 485,
  AL: 413,
  SE: 350,
  TO: 280,
  RO: 253,
  AM: 148,
  AC: 81,
  AP: 68,
  RR: 46,
};

/** Money totals of the full data set, for reports. */
export const MONEY = { payments: 16_008_872.12, prices: 13_591_643.7, freight: 2_251_909.54 } as const;
