import type { MetricValueWithName, Registry } from 'prom-client';

/** What a registry reads from a metric when it scrapes (prom-client's `MetricObjectWithValues`, without `collect`). */
export interface ScrapedMetric {
  name: string;
  help: string;
  type: 'histogram' | 'counter';
  aggregator: 'sum';
  values: Array<MetricValueWithName<string>>;
}

/** The label object of one combination: names paired with values in order. */
function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((name, i) => (labels[name] = values[i]));
  return labels;
}

/** One label combination of a CellHistogram: what a request observes into, found once and kept. */
export interface HistogramCell {
  observe(value: number): void;
}

interface Cell extends HistogramCell {
  labels: Record<string, string>;
  /** Per bucket (not cumulative), plus one for values above the last bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram whose label combinations are cells the caller keeps: an observation is a bucket search and
 * three additions. prom-client's `Histogram.labels(...).observe()` converts, validates and hashes the labels on every
 * call (about 2 % of a small request's CPU). Registered in a prom-client registry as any metric is (`get()`), it scrapes
 * to the same text as a prom-client Histogram fed the same values (cell-histogram.spec.ts).
 */
export class CellHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly cells = new Map<string, Cell>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The cell of these label values (in `labelNames` order), created on first use. */
  cell(...values: string[]): HistogramCell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (!cell) {
      const labels = labelsOf(this.labelNames, values);
      const bounds = this.upperBounds;
      const created: Cell = {
        labels,
        counts: new Float64Array(bounds.length + 1),
        sum: 0,
        count: 0,
        observe(value: number) {
          let i = 0;
          while (i < bounds.length && value > bounds[i]) i++;
          created.counts[i]++;
          created.sum += value;
          created.count++;
        },
      };
      cell = created;
      this.cells.set(key, cell);
    }
    return cell;
  }

  get(): Promise<ScrapedMetric> {
    const values: Array<MetricValueWithName<string>> = [];
    const bucket = `${this.name}_bucket`;
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += cell.counts[i];
        values.push({ labels: { le, ...cell.labels }, value: cumulative, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...cell.labels }, value: cell.count, metricName: bucket });
      values.push({ labels: { ...cell.labels }, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...cell.labels }, value: cell.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** Zeroes every cell (cells handed out stay valid). */
  reset(): void {
    for (const cell of this.cells.values()) {
      cell.counts.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}

/** One label combination of a CellCounter. */
export interface CounterCell {
  inc(by?: number): void;
}

/**
 * A Prometheus counter whose label combinations are cells the caller keeps (see CellHistogram): `inc()` is one
 * addition, where prom-client's `Counter.labels(...).inc()` hashes the labels on every call. Scrapes as prom-client's.
 */
export class CellCounter {
  readonly type = 'counter' as const;
  readonly aggregator = 'sum' as const;
  /** `counted`: incremented at least once; a cell never incremented is not scraped, as with prom-client. */
  private readonly cells = new Map<string, { labels: Record<string, string>; value: number; counted: boolean }>();

  constructor(
    public name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  cell(...values: string[]): CounterCell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { labels: labelsOf(this.labelNames, values), value: 0, counted: false };
      this.cells.set(key, cell);
    }
    const held = cell;
    return {
      inc(by = 1) {
        held.value += by;
        held.counted = true;
      },
    };
  }

  get(): Promise<ScrapedMetric> {
    const values = [...this.cells.values()].filter((cell) => cell.counted).map((cell) => ({ labels: { ...cell.labels }, value: cell.value }));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    for (const cell of this.cells.values()) cell.value = 0;
  }
}
