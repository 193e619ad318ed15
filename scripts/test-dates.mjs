// `npm run test:dates`: the unit/integration suite with the process clock moved (Debian's libfaketime, preloaded) to instants
// where calendars and clocks bite: a month's last second, a leap day, both Berlin clock changes, New Year in
// Shanghai, and two years back. Every process of the run (vitest workers, spawned servers) shares one shifted clock
// that runs at the real pace; monotonic time is left alone so timers behave.
//
//   npm run test:dates                         every instant, one after the other
//   npm run test:dates -- --pick               one instant chosen at random (CI), printed
//   npm run test:dates -- --instant leap-day   one instant by name
//   npm run test:dates -- --list               the instants
//   npm run test:dates -- --pick test/x.test.ts   vitest arguments after the options (a subset of files)
import { spawnSync } from 'node:child_process';


/** A date two years before the real one, at 09:15 in Shanghai (a working morning). */
function twoYearsBack() {
  const real = new Date();
  const y = real.getUTCFullYear() - 2;
  const m = String(real.getUTCMonth() + 1).padStart(2, '0');
  const d = String(Math.min(real.getUTCDate(), 28)).padStart(2, '0');
  return `${y}-${m}-${d}T09:15:00+08:00`;
}

export const INSTANTS = [
  { name: 'month-end', at: '2027-04-30T23:59:59Z', tz: 'UTC', why: 'the last second of a month (and of a week)' },
  { name: 'leap-day', at: '2028-02-29T12:00:00+08:00', tz: 'America/New_York', why: '29 Feb 2028, still 28 Feb on the host clock' },
  { name: 'berlin-spring', at: '2027-03-28T01:59:30+01:00', tz: 'Europe/Berlin', why: '30 s before Berlin skips 02:00-03:00' },
  { name: 'berlin-autumn', at: '2027-10-31T02:59:30+02:00', tz: 'Europe/Berlin', why: '30 s before Berlin repeats 02:00-03:00' },
  { name: 'shanghai-2030', at: '2030-01-01T00:00:30+08:00', tz: 'Asia/Shanghai', why: 'New Year 2030, 30 s in, in Shanghai' },
  { name: 'two-years-back', at: twoYearsBack(), tz: 'Asia/Shanghai', why: 'two years before the real date' },
];

function parseArgs(argv) {
  const opts = { pick: false, list: false, instant: null, vitestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--pick') opts.pick = true;
    else if (a === '--list') opts.list = true;
    else if (a === '--instant') opts.instant = argv[++i];
    else opts.vitestArgs.push(a);
  }
  return opts;
}

function hasFaketime() {
  return spawnSync('faketime', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The environment that moves the clock of a process and its children to `at`: libfaketime preloaded with a fixed
 * offset. Not through the `faketime` wrapper: it also sets FAKETIME_SHARED, a semaphore in shared memory that every
 * process takes while it starts; a process SIGKILLed while holding it (the crash tests kill servers on purpose) leaves
 * every later process of the run hanging at its first instruction. An offset needs no shared state.
 */
function shifted(instant) {
  const offsetSeconds = Math.round((Date.parse(instant.at) - Date.now()) / 1000);
  const env = {
    ...process.env,
    TZ: instant.tz,
    // ld.so expands $LIB to the multiarch folder, as the faketime wrapper does.
    LD_PRELOAD: '/usr/$LIB/faketime/libfaketimeMT.so.1',
    FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
  delete env.FAKETIME_SHARED;
  return env;
}

/** The shifted clock really moved: a child node process reads it (not only `Date` inside a test). */
function checkClock(instant) {
  const env = shifted(instant);
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()) + " " + Intl.DateTimeFormat().resolvedOptions().timeZone + " " + new Date().toString())'], { env, encoding: 'utf8' });
  const [ms, zone, ...text] = (probe.stdout ?? '').split(' ');
  const drift = Math.abs(Number(ms) - Date.parse(instant.at));
  if (probe.status !== 0 || !(drift < 60_000) || zone !== instant.tz) {
    throw new Error(`the clock did not move to ${instant.at} (${instant.tz}): got "${probe.stdout}" ${probe.stderr ?? ''}`);
  }
  return text.join(' ');
}

function run(instant, vitestArgs) {
  const seen = checkClock(instant);
  console.log(`\n=== test:dates ${instant.name}: ${instant.at} in ${instant.tz} (${instant.why})`);
  console.log(`    the processes of this run read: ${seen}`);
  const env = shifted(instant);
  const started = performance.now();
  const r = spawnSync('npx', ['vitest', 'run', ...vitestArgs], { env, stdio: 'inherit' });
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`=== test:dates ${instant.name}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${seconds} s`);
  return r.status === 0;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.list) {
  for (const i of INSTANTS) console.log(`${i.name.padEnd(16)} ${i.at.padEnd(26)} ${i.tz.padEnd(18)} ${i.why}`);
  process.exit(0);
}
if (!hasFaketime()) {
  console.error('test:dates needs libfaketime: apt-get install faketime');
  process.exit(1);
}
let chosen = INSTANTS;
if (opts.instant) {
  chosen = INSTANTS.filter((i) => i.name === opts.instant);
  if (!chosen.length) {
    console.error(`unknown instant "${opts.instant}"; --list shows them`);
    process.exit(1);
  }
} else if (opts.pick) {
  chosen = [INSTANTS[Math.floor(Math.random() * INSTANTS.length)]];
  console.log(`test:dates: this run's instant is ${chosen[0].name} (${chosen[0].at}, ${chosen[0].tz}); rerun it with --instant ${chosen[0].name}`);
}
const failed = chosen.filter((instant) => !run(instant, opts.vitestArgs)).map((i) => i.name);
console.log(`\ntest:dates: ${chosen.length - failed.length} of ${chosen.length} instants passed${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
