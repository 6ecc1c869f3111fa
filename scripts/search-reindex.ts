// npm run search:reindex — rebuild the search indexes from the database, with a progress bar.
// With MEILISEARCH_URL + MEILISEARCH_API_KEY: a fresh Meilisearch index is built (settings first) and
// swapped in. In every case the running app instances are told (through the outbox) to rebuild their
// embedded index; the embedded build is also run here once, to check it and to time it.
import cliProgress from 'cli-progress';
import { commandDatabase } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';

const database = await commandDatabase();
let code = 0;
try {
  await migrate(database.url);
  const { pool, disconnect } = await import('../app/modules/db/db.server');
  const { allDocuments, countListedProducts } = await import('../app/modules/search/documents.server');
  const { EmbeddedSearch } = await import('../app/modules/search/embedded.server');
  const { MeilisearchCatalog } = await import('../app/modules/search/meilisearch.server');
  const { fullReindex } = await import('../app/modules/search/outbox.server');
  const { meilisearchOptionsFromEnv } = await import('../app/modules/search/search.server');

  const bar = (label: string) => new cliProgress.SingleBar({ format: `${label.padEnd(12)} [{bar}] {percentage}% | {value}/{total} products | {duration}s`, hideCursor: true }, cliProgress.Presets.shades_classic);
  const progress = (b: cliProgress.SingleBar) => {
    let started = false;
    return (done: number, total: number) => {
      if (!started) (b.start(total, 0), (started = true));
      b.setTotal(total);
      b.update(done);
    };
  };

  const total = await countListedProducts();
  const meili = meilisearchOptionsFromEnv();
  if (meili) {
    const b = bar('meilisearch');
    const started = Date.now();
    const { documents } = await fullReindex(new MeilisearchCatalog(meili), { onProgress: progress(b) });
    b.stop();
    console.log(`meilisearch: ${documents} documents indexed and swapped in, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    console.log('meilisearch: not configured (MEILISEARCH_URL + MEILISEARCH_API_KEY), skipped');
  }

  const b = bar('embedded');
  const started = Date.now();
  const engine = new EmbeddedSearch();
  const { documents } = await engine.replaceAll(allDocuments(5_000), { total, onProgress: progress(b) });
  b.stop();
  console.log(`embedded: ${documents} documents in ${((Date.now() - started) / 1000).toFixed(1)} s, ~${Math.round(engine.stats().approximateBytes / 1048576)} MB`);

  // Running instances rebuild their embedded index when they read this row; it is marked delivered so
  // the Meilisearch delivery worker does not rebuild the index that was just swapped in.
  await pool().query(`insert into search_outbox (product_id, source, delivered_at) values (null, 'reindex', now())`);
  console.log('running app instances asked to rebuild their embedded index');
  await disconnect();
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  await database.stop();
}
process.exit(code);
