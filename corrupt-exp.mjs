import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
const [, , what] = process.argv;
const dir = `/tmp/exp11/corrupt-${what}`;
if (process.argv[3] !== 'open') {
  fs.rmSync(dir, { recursive: true, force: true });
  const pg = new PGlite(dir);
  await pg.waitReady;
  await pg.exec("CREATE TABLE t (id int primary key, pad text); INSERT INTO t SELECT g, 'x' FROM generate_series(1,100) g");
  const file = (await pg.query("SELECT pg_relation_filepath('t') AS f")).rows[0].f;
  await pg.close();
  const target =
    what === 'control'
      ? `${dir}/global/pg_control`
      : what === 'heap'
        ? `${dir}/${file}`
        : what === 'missing'
          ? `${dir}/${file}`
          : `${dir}/PG_VERSION`;
  if (what === 'missing') fs.rmSync(target);
  else if (what === 'version') fs.writeFileSync(target, '99\n');
  else {
    const fd = fs.openSync(target, 'r+');
    fs.writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, 200);
    fs.closeSync(fd);
  }
  console.log('corrupted', target);
}
const t0 = Date.now();
const timer = setTimeout(() => {
  console.log('HANG after 20 s');
  process.exit(3);
}, 20000);
try {
  const pg = new PGlite(dir, {
    onStderr: (t) => {
      console.log('STDERR:', t.trim());
      return true;
    },
    onStdout: (t) => {
      console.log('STDOUT:', t.trim());
      return true;
    },
  });
  await pg.waitReady;
  console.log('opened in', Date.now() - t0, 'ms');
  try {
    console.log((await pg.query('SELECT count(*)::int n FROM t')).rows);
  } catch (e) {
    console.log('select failed:', e.name, e.code, e.severity, String(e.message).slice(0, 200));
  }
  try {
    console.log((await pg.query('SELECT 1 AS one')).rows);
  } catch (e) {
    console.log('select 1 failed:', e.name, String(e.message).slice(0, 200));
  }
  await pg.close();
} catch (e) {
  console.log('open failed:', e?.name, e?.code, String(e?.message ?? e).slice(0, 300));
}
clearTimeout(timer);
