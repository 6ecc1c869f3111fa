// COPY … FROM STDIN over a pg client, without pg-copy-streams: a small Submittable on pg's public query
// interface (the same messages pg-copy-streams sends: CopyData chunks, then CopyDone, or CopyFail).
// Backpressure: we wait for the socket to drain before sending more, so memory stays flat whatever
// the size of the source.
import type pg from 'pg';

type Chunk = string | Buffer | Uint8Array;
type Connection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
};

class CopyIn {
  private failed: Error | null = null;
  private rowCount = 0;
  private settled = false;
  private resolve!: (rows: number) => void;
  private reject!: (e: Error) => void;
  readonly done: Promise<number>;

  constructor(private readonly text: string, private readonly source: AsyncIterable<Chunk>) {
    this.done = new Promise<number>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
  }

  submit(connection: Connection) {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Connection) {
    void this.pump(connection);
  }

  private async pump(connection: Connection) {
    try {
      for await (const chunk of this.source) {
        if (this.failed) return; // the server refused: it ignores anything we still send
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
        if (buf.length === 0) continue;
        connection.sendCopyFromChunk(buf);
        if (connection.stream.writableNeedDrain) await new Promise((r) => connection.stream.once('drain', r));
      }
      if (!this.failed) connection.endCopyFrom();
    } catch (error) {
      // The source failed (unreadable file, bad encoding): abort the COPY; the server answers with an error.
      this.failed = error as Error;
      connection.sendCopyFail(String((error as Error).message ?? error).slice(0, 500));
    }
  }

  handleCommandComplete(msg: { text?: string }) {
    const m = /COPY (\d+)/.exec(msg.text ?? '');
    if (m) this.rowCount = Number(m[1]);
  }

  handleReadyForQuery() {
    if (this.settled) return;
    this.settled = true;
    if (this.failed) this.reject(this.failed);
    else this.resolve(this.rowCount);
  }

  handleError(error: Error) {
    // A source error we caused with CopyFail comes back as the server's error: report ours.
    if (!this.failed) this.failed = error;
    if (this.settled) return;
    this.settled = true;
    this.reject(this.failed);
  }

  // Messages a COPY never produces, but pg may call them on any active query.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

/** Runs `COPY … FROM STDIN …` on `client`, streaming `source` into it; resolves to the number of rows copied. */
export async function copyFrom(client: pg.PoolClient | pg.Client, sql: string, source: AsyncIterable<Chunk>): Promise<number> {
  if (!/^\s*copy\s/i.test(sql) || !/from\s+stdin/i.test(sql)) throw new Error('copyFrom needs a COPY … FROM STDIN statement');
  const q = new CopyIn(sql, source);
  client.query(q as unknown as pg.Submittable);
  return q.done;
}

/** One value in COPY's text format: \N for NULL, backslash escapes for the characters COPY treats specially. */
export function copyText(value: string | number | bigint | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
