// The fake exchange's account: orders, fills and balances, with Binance spot rules where a client can tell the
// difference (client id uniqueness, LOT_SIZE / NOTIONAL filters, commission in the received asset or in a third one
// such as BNB, funds locked by open orders). Prices come from whatever the test pushes; there is no order book depth.

/** Binance spot order status. */
export type FakeOrderStatus = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "REJECTED" | "EXPIRED";

/** One order as the fake exchange holds it (a copy; mutating it changes nothing). */
export interface FakeOrder {
  /** Exchange order id, from 1. */
  orderId: number;
  /** `newClientOrderId` as sent (or made up by the fake when absent). */
  clientOrderId: string;
  /** Market id, `BTCUSDT`. */
  symbol: string;
  /** Buy or sell. */
  side: "BUY" | "SELL";
  /** Order type. */
  type: "MARKET" | "LIMIT";
  /** GTC rests; IOC/FOK limits expire what does not fill at once. */
  timeInForce: "GTC" | "IOC" | "FOK";
  /** Limit price; 0 for market orders. */
  price: number;
  /** Quantity ordered (base asset). */
  origQty: number;
  /** Quote amount asked for by a market order sent with `quoteOrderQty`, else 0. */
  origQuoteOrderQty: number;
  /** Quantity filled so far. */
  executedQty: number;
  /** Quote amount filled so far (Binance's spelling). */
  cummulativeQuoteQty: number;
  /** Binance status. */
  status: FakeOrderStatus;
  /** Creation time (the fake's clock). */
  time: number;
  /** Time of the last change (the fake's clock). */
  updateTime: number;
  /** Trade ids of this order's fills, oldest first. */
  tradeIds: number[];
}

/** One fill (a row of `GET /api/v3/myTrades`). */
export interface FakeFill {
  /** Trade id, from 1. */
  id: number;
  /** The order filled. */
  orderId: number;
  /** That order's client id. */
  clientOrderId: string;
  /** Market id, `BTCUSDT`. */
  symbol: string;
  /** The order's side. */
  side: "BUY" | "SELL";
  /** Fill price. */
  price: number;
  /** Quantity filled (base asset). */
  qty: number;
  /** `qty * price`. */
  quoteQty: number;
  /** Fee paid, in `commissionAsset`. */
  commission: number;
  /** The asset received (base for a buy, quote for a sell), or the account's `feeAsset` (BNB) when it paid. */
  commissionAsset: string;
  /** Fill time (the fake's clock). */
  time: number;
  /** True for a resting limit order filled by a later price. */
  isMaker: boolean;
}

/** One asset's balance. */
export interface FakeBalance {
  /** Available. */
  free: number;
  /** Held by open orders. */
  locked: number;
}

/** Exchange filters of every market (the same numbers `exchangeInfo` announces). */
export interface FakeFilters {
  /** LOT_SIZE minimum quantity. */
  minQty: number;
  /** LOT_SIZE maximum quantity. */
  maxQty: number;
  /** LOT_SIZE step: quantities must be multiples of it. */
  stepSize: number;
  /** NOTIONAL filter: minimum `qty * price`. */
  minNotional: number;
}

/** A Binance error answer. */
export interface BinanceError {
  code: number;
  msg: string;
}

/** What a new order asks for, parsed from the request. */
export interface OrderRequest {
  symbol: string;
  side: string;
  type: string;
  quantity?: number;
  quoteOrderQty?: number;
  price?: number;
  timeInForce?: string;
  newClientOrderId?: string;
}

export interface MatchingOptions {
  markets: ReadonlyMap<string, { base: string; quote: string }>;
  balances: Record<string, number>;
  makerFee: number;
  takerFee: number;
  /** Pay commissions in this asset (Binance's BNB) while its balance covers them. */
  feeAsset?: string;
  /** Discount on commissions paid in `feeAsset` (Binance's BNB: 0.25). Default 0. */
  feeAssetDiscount?: number;
  /** `feeAsset`'s price in a quote that has no market of it either way. */
  feeAssetPrice?: number;
  fillParts: number | ((order: Readonly<FakeOrder>) => number);
  clientIdUnique: "open" | "all";
  filters: FakeFilters;
  prices: Record<string, number>;
  /** The price when none was pushed yet (the served bars' last close). */
  fallbackPrice: (id: string) => number | undefined;
  now: () => number;
}

interface Live extends FakeOrder {
  partsLeft: number;
  /** Funds still held for this order (quote for a buy, base for a sell). */
  locked: number;
}

const EPS = 1e-9;

export const ORDER_ERRORS = {
  duplicate: { code: -2010, msg: "Duplicate order sent." },
  insufficient: { code: -2010, msg: "Account has insufficient balance for requested action." },
  lotSize: { code: -1013, msg: "Filter failure: LOT_SIZE" },
  notional: { code: -1013, msg: "Filter failure: NOTIONAL" },
  unknownCancel: { code: -2011, msg: "Unknown order sent." },
  notFound: { code: -2013, msg: "Order does not exist." },
  badSymbol: { code: -1121, msg: "Invalid symbol." },
} as const;

/** The account and its matching engine. Ids start at 1 and never repeat. */
export class Matching {
  readonly #o: MatchingOptions;
  readonly #orders: Live[] = [];
  readonly #byId = new Map<number, Live>();
  readonly #open = new Map<string, Live[]>();
  readonly #fills: FakeFill[] = [];
  readonly #balances = new Map<string, FakeBalance>();
  readonly #prices = new Map<string, number>();
  #nextOrderId = 1;
  #nextTradeId = 1;

  constructor(options: MatchingOptions) {
    this.#o = options;
    for (const [asset, free] of Object.entries(options.balances)) this.#balances.set(asset, { free, locked: 0 });
    for (const [id, p] of Object.entries(options.prices)) this.#prices.set(id, p);
  }

  get orders(): FakeOrder[] {
    return this.#orders.map(publicOrder);
  }

  get fills(): FakeFill[] {
    return this.#fills.map((f) => ({ ...f }));
  }

  get balances(): Record<string, FakeBalance> {
    const out: Record<string, FakeBalance> = {};
    for (const [asset, b] of this.#balances) out[asset] = { free: round8(b.free), locked: round8(b.locked) };
    return out;
  }

  setBalance(asset: string, free: number): void {
    this.#bal(asset).free = free;
  }

  price(id: string): number | undefined {
    return this.#prices.get(id) ?? this.#o.fallbackPrice(id);
  }

  /** A new price: market parts fill at `close`, resting limits whose price `low..high` reached fill at their limit. */
  onPrice(id: string, high: number, low: number, close: number): void {
    this.#prices.set(id, close);
    const open = this.#open.get(id);
    if (open === undefined || open.length === 0) return;
    for (const o of [...open]) {
      if (o.type === "MARKET") this.#fillPart(o, close, false);
      else if (o.side === "BUY" ? low <= o.price + EPS : high >= o.price - EPS) this.#fillPart(o, o.price, true);
    }
  }

  place(r: OrderRequest): { order: FakeOrder; fills: FakeFill[] } | { error: BinanceError } {
    const market = this.#o.markets.get(r.symbol);
    if (market === undefined) return { error: ORDER_ERRORS.badSymbol };
    if (r.side !== "BUY" && r.side !== "SELL") return { error: { code: -1100, msg: `Illegal side '${r.side}'.` } };
    if (r.type !== "MARKET" && r.type !== "LIMIT") {
      return { error: { code: -1116, msg: `Invalid orderType '${r.type}' (the fake knows MARKET and LIMIT).` } };
    }
    const clientOrderId = r.newClientOrderId ?? `fake-${this.#nextOrderId}-${Math.random().toString(36).slice(2)}`;
    const dup = this.#orders.some((o) =>
      o.clientOrderId === clientOrderId && (this.#o.clientIdUnique === "all" || isOpen(o.status))
    );
    if (dup) return { error: ORDER_ERRORS.duplicate };
    const tif = (r.timeInForce ?? "GTC") as FakeOrder["timeInForce"];
    if (r.type === "LIMIT" && (r.price === undefined || !(r.price > 0) || r.quantity === undefined)) {
      return {
        error: {
          code: -1102,
          msg: "Mandatory parameter 'price' or 'quantity' was not sent, was empty/null, or malformed.",
        },
      };
    }
    const last = this.#prices.get(r.symbol) ?? this.#o.fallbackPrice(r.symbol);
    const refPrice = r.type === "LIMIT" ? r.price! : last;
    if (refPrice === undefined) {
      return {
        error: {
          code: -2010,
          msg: `fake exchange: no price for ${r.symbol}; push a bar or trade, or call fake.setPrice() first.`,
        },
      };
    }
    const f = this.#o.filters;
    let qty = r.quantity;
    if (qty === undefined && r.quoteOrderQty !== undefined && r.type === "MARKET") {
      qty = Math.floor(r.quoteOrderQty / refPrice / f.stepSize + EPS) * f.stepSize;
    }
    if (qty === undefined || !(qty > 0)) {
      return {
        error: { code: -1102, msg: "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed." },
      };
    }
    const steps = qty / f.stepSize;
    if (qty < f.minQty - EPS || qty > f.maxQty + EPS || Math.abs(steps - Math.round(steps)) > 1e-6) {
      return { error: ORDER_ERRORS.lotSize };
    }
    if (qty * refPrice < f.minNotional - EPS) return { error: ORDER_ERRORS.notional };
    const needAsset = r.side === "BUY" ? market.quote : market.base;
    const need = r.side === "BUY" ? qty * refPrice : qty;
    const bal = this.#bal(needAsset);
    if (bal.free < need - EPS) return { error: ORDER_ERRORS.insufficient };

    const t = this.#o.now();
    const o: Live = {
      orderId: this.#nextOrderId++,
      clientOrderId,
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      timeInForce: tif,
      price: r.type === "LIMIT" ? r.price! : 0,
      origQty: round8(qty),
      origQuoteOrderQty: r.quoteOrderQty ?? 0,
      executedQty: 0,
      cummulativeQuoteQty: 0,
      status: "NEW",
      time: t,
      updateTime: t,
      tradeIds: [],
      partsLeft: 1,
      locked: need,
    };
    const parts = typeof this.#o.fillParts === "function" ? this.#o.fillParts(publicOrder(o)) : this.#o.fillParts;
    o.partsLeft = Math.max(1, Math.floor(parts));
    bal.free -= need;
    bal.locked += need;
    this.#orders.push(o);
    this.#byId.set(o.orderId, o);
    this.#openList(o.symbol).push(o);
    const before = this.#fills.length;
    if (o.type === "MARKET") this.#fillPart(o, last!, false);
    else if (last !== undefined && (o.side === "BUY" ? last <= o.price + EPS : last >= o.price - EPS)) {
      // A marketable limit takes liquidity at the market price, as on an exchange with depth.
      this.#fillPart(o, last, false);
    }
    if (o.type === "LIMIT" && o.timeInForce !== "GTC" && isOpen(o.status)) this.#close(o, "EXPIRED");
    return { order: publicOrder(o), fills: this.#fills.slice(before).map((x) => ({ ...x })) };
  }

  find(symbol: string, ref: { orderId?: number; origClientOrderId?: string }): FakeOrder | undefined {
    const o = this.#find(symbol, ref);
    return o === undefined ? undefined : publicOrder(o);
  }

  cancel(symbol: string, ref: { orderId?: number; origClientOrderId?: string }): FakeOrder | BinanceError {
    const o = this.#find(symbol, ref);
    if (o === undefined || !isOpen(o.status)) return ORDER_ERRORS.unknownCancel;
    this.#close(o, "CANCELED");
    return publicOrder(o);
  }

  /** Fills what is left of an open order at `price` (default: its limit, or the last price), in one fill. */
  fillRest(symbol: string, ref: { orderId?: number; origClientOrderId?: string }, price?: number): boolean {
    const o = this.#find(symbol, ref);
    if (o === undefined || !isOpen(o.status)) return false;
    const px = price ?? (o.type === "LIMIT" ? o.price : this.price(o.symbol));
    if (px === undefined) return false;
    o.partsLeft = 1;
    this.#fillPart(o, px, o.type === "LIMIT");
    return true;
  }

  open(symbol?: string): FakeOrder[] {
    if (symbol !== undefined) return (this.#open.get(symbol) ?? []).map(publicOrder);
    return this.#orders.filter((o) => isOpen(o.status)).map(publicOrder);
  }

  #find(symbol: string, ref: { orderId?: number; origClientOrderId?: string }): Live | undefined {
    if (ref.orderId !== undefined) {
      const o = this.#byId.get(ref.orderId);
      return o?.symbol === symbol ? o : undefined;
    }
    // The newest order with this client id: an id can be reused once its first order is done.
    for (let i = this.#orders.length - 1; i >= 0; i--) {
      const o = this.#orders[i]!;
      if (o.symbol === symbol && o.clientOrderId === ref.origClientOrderId) return o;
    }
    return undefined;
  }

  #bal(asset: string): FakeBalance {
    let b = this.#balances.get(asset);
    if (b === undefined) this.#balances.set(asset, b = { free: 0, locked: 0 });
    return b;
  }

  #openList(symbol: string): Live[] {
    let l = this.#open.get(symbol);
    if (l === undefined) this.#open.set(symbol, l = []);
    return l;
  }

  #fillPart(o: Live, price: number, isMaker: boolean): void {
    const market = this.#o.markets.get(o.symbol)!;
    const remaining = o.origQty - o.executedQty;
    const step = this.#o.filters.stepSize;
    let qty = o.partsLeft <= 1 ? remaining : Math.floor(remaining / o.partsLeft / step + EPS) * step;
    if (qty <= EPS) qty = remaining;
    qty = round8(qty);
    o.partsLeft = Math.max(1, o.partsLeft - 1);
    const quoteQty = round8(qty * price);
    const fee = isMaker ? this.#o.makerFee : this.#o.takerFee;
    const base = this.#bal(market.base);
    const quote = this.#bal(market.quote);
    // Release this fill's share of the held funds, then pay and receive; commission comes off what is received.
    const release = remaining <= EPS ? o.locked : o.locked * (qty / remaining);
    o.locked -= release;
    if (o.side === "BUY") {
      quote.locked -= release;
      quote.free += release - quoteQty;
      base.free += qty;
    } else {
      base.locked -= release;
      base.free += release - qty;
      quote.free += quoteQty;
    }
    // Binance's "pay fees with BNB": the commission's quote value in the fee asset, from its balance, once the
    // fill has settled (so buying BNB can pay its own fee); short of it, the received asset pays as usual.
    let commission = this.#feeAssetCommission(market, price, quoteQty * fee);
    let commissionAsset = this.#o.feeAsset ?? "";
    if (commission === undefined) {
      commissionAsset = o.side === "BUY" ? market.base : market.quote;
      commission = round8((o.side === "BUY" ? qty : quoteQty) * fee);
    }
    this.#bal(commissionAsset).free -= commission;
    const t = this.#o.now();
    const fill: FakeFill = {
      id: this.#nextTradeId++,
      orderId: o.orderId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      time: t,
      isMaker,
    };
    this.#fills.push(fill);
    o.tradeIds.push(fill.id);
    o.executedQty = round8(o.executedQty + qty);
    o.cummulativeQuoteQty = round8(o.cummulativeQuoteQty + quoteQty);
    o.updateTime = t;
    if (o.origQty - o.executedQty <= EPS) this.#close(o, "FILLED");
    else o.status = "PARTIALLY_FILLED";
  }

  /** The commission in the account's fee asset, or undefined when there is none, no price of it, or too little. */
  #feeAssetCommission(market: { base: string; quote: string }, price: number, value: number): number | undefined {
    const asset = this.#o.feeAsset;
    if (asset === undefined) return undefined;
    const px = asset === market.quote ? 1 : asset === market.base ? price : this.#feeAssetPrice(asset, market.quote);
    if (px === undefined || !(px > 0)) return undefined;
    const commission = round8(value * (1 - (this.#o.feeAssetDiscount ?? 0)) / px);
    return this.#bal(asset).free >= commission - EPS ? commission : undefined;
  }

  #feeAssetPrice(asset: string, quote: string): number | undefined {
    const direct = this.price(asset + quote);
    if (direct !== undefined) return direct;
    const inverse = this.price(quote + asset);
    return inverse !== undefined && inverse > 0 ? 1 / inverse : this.#o.feeAssetPrice;
  }

  #close(o: Live, status: FakeOrderStatus): void {
    const market = this.#o.markets.get(o.symbol)!;
    const b = this.#bal(o.side === "BUY" ? market.quote : market.base);
    b.locked -= o.locked;
    b.free += o.locked;
    o.locked = 0;
    o.status = status;
    o.updateTime = this.#o.now();
    const list = this.#open.get(o.symbol);
    if (list !== undefined) {
      const i = list.indexOf(o);
      if (i >= 0) list.splice(i, 1);
    }
  }
}

function isOpen(s: FakeOrderStatus): boolean {
  return s === "NEW" || s === "PARTIALLY_FILLED";
}

function publicOrder(o: FakeOrder): FakeOrder {
  return {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    price: o.price,
    origQty: o.origQty,
    origQuoteOrderQty: o.origQuoteOrderQty,
    executedQty: o.executedQty,
    cummulativeQuoteQty: o.cummulativeQuoteQty,
    status: o.status,
    time: o.time,
    updateTime: o.updateTime,
    tradeIds: [...o.tradeIds],
  };
}

/** Rounds to 8 decimals, Binance's precision, so float sums print as the exchange would. */
export function round8(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}
