/**
 * toky-mock: a faithful, stateful fake of the Toky REST API that runs in-process (a standard
 * `fetch`), with faults, a journal and webhook deliveries. The same code as the `toky-mock`
 * server; see the package README.
 * @packageDocumentation
 */

/** Options of {@link TokyMock}. An unknown or ill-typed option throws a `TypeError` naming it. */
export interface TokyMockOptions {
  /** Seed of the generated data: the same seed always gives the same data. Default 1. */
  seed?: number;
  /** The key clients must send in `X-Toky-Key`. Default `"demo-key"`. */
  apiKey?: string;
  /** Number of seeded contacts, from 0 to 1,000,000. Default 300. */
  contacts?: number;
  /** Refuse webhooks whose `hook_url` is not loopback (localhost, 127.0.0.0/8, [::1]). */
  loopbackWebhooks?: boolean;
  /**
   * Receives every webhook delivery instead of the global `fetch` (no port needed): a `POST`
   * with the JSON event. A 2xx status counts as delivered; anything else, a throw or no answer
   * within 5 s is retried like the server does (after 200, 400 and 800 ms).
   */
  deliver?: (request: Request) => Response | Promise<Response>;
}

// @generated-control-types: FaultSpec, RetryAfter, FaultKind, Fault, JournalEntry, Delivery,
// EventSpec, Simulated, Loose, JsonValue, generated from toky-mock's Rust types (mock/examples/typescript.rs)
// by scripts/pack-mock.mjs.

/** A control call the mock refused: the route's status and JSON error body. */
export declare class TokyMockError extends Error {
  /** The HTTP status the control route answered with. */
  readonly status: number;
  /** Its JSON body (`{ success: false, error_message }`). */
  readonly body: unknown;
}

/**
 * One in-process Toky account: its own seeded data, faults, journal and deliveries.
 * @example
 * const mock = new TokyMock({ seed: 1 });
 * const toky = new Toky({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch });
 */
export declare class TokyMock {
  /** @throws TypeError naming an unknown or ill-typed option. */
  constructor(options?: TokyMockOptions);
  /** The key this mock accepts in `X-Toky-Key`. */
  readonly apiKey: string;
  /** The Toky base URL to give a client together with {@link TokyMock.fetch} (ends in `/v1`). */
  readonly baseUrl: string;
  /** The mock's origin; `/__mock/*` and `/openapi.json` live under it. */
  readonly origin: string;
  /**
   * A standard `fetch` answered by the mock (pass it unbound: `fetch: mock.fetch`). Takes a
   * string (relative ones resolve against {@link TokyMock.origin}), a `URL` or a `Request`;
   * honours `init.signal`; resolves to a real `Response`. Faults behave as on the wire:
   * `drop_before`/`drop_after` reject with a `TypeError`, `hang` settles only when the signal
   * aborts (rejecting with its reason).
   */
  readonly fetch: typeof globalThis.fetch;
  /** Every request so far, oldest first. */
  journal(): Promise<JournalEntry[]>;
  /** Empties the journal. */
  clearJournal(): Promise<{
    /** Always `true`: a refusal rejects instead. */
    success: true;
  }>;
  /** Arms a fault; a bad spec rejects with a {@link TokyMockError}. */
  fault(spec: FaultSpec): Promise<Fault>;
  /** The faults still armed. */
  faults(): Promise<Fault[]>;
  /** Disarms every fault. */
  clearFaults(): Promise<{
    /** Always `true`: a refusal rejects instead. */
    success: true;
    /** How many faults were still armed. */
    cleared: number;
  }>;
  /**
   * Simulates an event: records it and delivers its webhooks. Resolves to what it did (an
   * array of them when `spec.count` is given); a bad spec rejects with a {@link TokyMockError}.
   */
  simulate(spec: EventSpec & { count?: undefined }): Promise<Simulated>;
  simulate(spec: EventSpec): Promise<Simulated | Simulated[]>;
  /** Webhook deliveries so far. */
  deliveries(): Promise<Delivery[]>;
  /** Forgets past deliveries. */
  clearDeliveries(): Promise<{
    /** Always `true`: a refusal rejects instead. */
    success: true;
  }>;
  /** Back to the seeded state: data, faults, journal and deliveries. */
  reset(): Promise<void>;
  /** The account's SMS numbers (the valid `from` of `sms.send`). */
  numbers(): Promise<string[]>;
  /** Clears every timer and rejects pending requests; any later call fails. */
  close(): void;
}

