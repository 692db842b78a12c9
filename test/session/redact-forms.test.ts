// The secret forms QA found in session logs (keys of the full key list in free text, JSON-quoted keys, `curl -u`, a
// private key without its END line, cookie headers), through redactText, redact, redactArgv and a real session file;
// what must stay readable (path words, user names) stays; every rule stays linear on hostile input.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mayHoldSecret, redact, redactArgv, redactText } from '../../src/session/redact.js';
import { compiledSessionSchema } from '../../src/session/compiled-session.js';
import { isSecretKey, SECRET_KEY_NAMES } from '../../src/session/secret-keys.js';
import { SessionLogger } from '../../src/session/session-logger.js';

const R = '[REDACTED]';
const QA_QUESTION = 'Check aws_secret_access_key=Leak1 secret_key=Leak2 access_key=Leak3 private_key=Leak4 passphrase=Leak5 cookie=Leak6 session_key=Leak7 {"password": "Leak8"} pwd=Leak9 Cookie: sid=Leak10 X-Api-Key: Leak11';

const KEYS_ONLY_WORDS: readonly string[] = ['pass', 'auth', 'signature'];

describe('redactText: the key list in free text', () => {
  it('redacts every value of the QA question and keeps its words', () => {
    expect(redactText(QA_QUESTION)).toBe(
      `Check aws_secret_access_key=${R} secret_key=${R} access_key=${R} private_key=${R} passphrase=${R} cookie=${R} session_key=${R} {"password": ${R}} pwd=${R} Cookie: ${R} X-Api-Key: ${R}`,
    );
  });

  // Each name of the one list, as free text writes keys: with `_`, `-`, `.`, camel case or nothing between its words.
  const spellings = (name: string): string[] => {
    const words = name.split(' ');
    const camel = words.map((w, i) => (i === 0 ? w : `${w.charAt(0).toUpperCase()}${w.slice(1)}`)).join('');
    return [...new Set([words.join('_'), words.join('-'), words.join('.'), words.join(''), camel, name.toUpperCase().replaceAll(' ', '_')])];
  };
  const names = [...SECRET_KEY_NAMES.exact, ...SECRET_KEY_NAMES.suffixes];
  it.each(names)('redacts %j in every spelling, after = and :, as a JSON key and as an object key', (name) => {
    for (const key of spellings(name)) {
      expect(redactText(`note ${key}=Sec-Val-1 end`)).toBe(`note ${key}=${R} end`);
      // `pass`, `auth` and `signature` are words of analysts' sentences too: after a bare colon they stay (see below).
      if (!KEYS_ONLY_WORDS.includes(name)) expect(redactText(`note ${key}: Sec-Val-2 end`)).toBe(`note ${key}: ${R} end`);
      expect(redactText(`{"${key}": "Sec Val 3", "rows": 3}`)).toBe(`{"${key}": ${R}, "rows": 3}`);
      expect(redact({ [key]: 'Sec-Val-4', rows: 3 })).toEqual({ [key]: R, rows: 3 });
      expect(isSecretKey(key)).toBe(true);
      // The logger's pre-check sees it, so the event is not written by the fast path unredacted.
      expect(mayHoldSecret(JSON.stringify({ text: `${key}=x` }))).toBe(true);
    }
  });

  it('keeps the words pass, auth and signature after a bare colon in a sentence, where they name no secret', () => {
    expect(redactText('first pass: the proxy logs, then auth: failed logons; signature: ET SCAN Nmap')).toBe('first pass: the proxy logs, then auth: failed logons; signature: ET SCAN Nmap');
    expect(redactText('login pass=Hunter2 auth="Tok 1"')).toBe(`login pass=${R} auth=${R}`);
  });

  it('redacts a suffix name behind any prefix, as object keys are', () => {
    expect(redactText('db_passphrase=pp1 svc-session-key: sk2 user.accessKey=ak3')).toBe(`db_passphrase=${R} svc-session-key: ${R} user.accessKey=${R}`);
  });

  it('redacts JSON whose quotes are escaped (a JSON text inside a JSON string)', () => {
    expect(redactText('body {\\"password\\":\\"Esc-Pw-1\\",\\"rows\\":3}')).toBe(`body {\\"password\\":${R},\\"rows\\":3}`);
  });

  it('redacts every pair of a cookie header, not only the first', () => {
    expect(redactText('Cookie: _ga=GA1.2.3; session=CookieSess-9; theme=dark\nHost: x')).toBe(`Cookie: ${R}\nHost: x`);
    expect(redactText('Set-Cookie: sid=SetC-1; Path=/; HttpOnly')).toBe(`Set-Cookie: ${R}`);
  });

  it('ends an unquoted value before the quote or bracket that closes the text around it', () => {
    expect(redactText('curl -H "X-Api-Key: HdrKey-1" https://x')).toBe(`curl -H "X-Api-Key: ${R}" https://x`);
    expect(redactText('{api_key: ObjKey-1}')).toBe(`{api_key: ${R}}`);
    expect(redactText('pwd=it\'s-mine ok')).toBe(`pwd=${R} ok`);
  });

  it('changes nothing when run again on its own output (the logger redacts argv, then the event)', () => {
    for (const text of [QA_QUESTION, '{"api_key":"ConsKey444"}', '{api_key: k}', 'curl -u bob:pw', 'Cookie: a=1; b=2', '-----BEGIN PRIVATE KEY-----abc', 'password=[x]']) {
      const once = redactText(text);
      expect(redactText(once)).toBe(once);
    }
  });
});

describe('redactText: command lines and key blocks', () => {
  it('redacts the password of curl -u and --user, keeping the user', () => {
    expect(redactText('curl -u bob:CurlPw5678 https://siem/api')).toBe(`curl -u bob:${R} https://siem/api`);
    expect(redactText('curl -ubob:CurlPw5678 x')).toBe(`curl -ubob:${R} x`);
    expect(redactText('curl --user=bob:CurlPw5678 x')).toBe(`curl --user=bob:${R} x`);
    expect(redactText('curl --proxy-user bob:CurlPw5678 x')).toBe(`curl --proxy-user bob:${R} x`);
    expect(redactText('curl -U "bob:my pass phrase" x')).toBe(`curl -U "bob:${R}" x`);
  });

  it('keeps a -u that names a user alone', () => {
    for (const text of ['mysql -u root -h db01', 'psql -U postgres', 'sort -u names.txt']) expect(redactText(text)).toBe(text);
  });

  it('redacts secret flags of the key list, not only password and token', () => {
    expect(redactText('tool --cookie sid=Flag-C1 --private-key Flag-P2 --passphrase Flag-P3 --verbose')).toBe(`tool --cookie ${R} --private-key ${R} --passphrase ${R} --verbose`);
  });

  it('redacts a private key pasted without its END line', () => {
    expect(redactText('key -----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA7bq...')).toBe(`key ${R}...`);
    expect(redactText('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmU=\n')).toBe(R);
  });

  it('redacts an encrypted private key block whole, headers included, and keeps what follows it', () => {
    const block = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D\n\nq3Kf+/Enc==\n-----END RSA PRIVATE KEY-----';
    expect(redactText(`found:\n${block}\nnext line`)).toBe(`found:\n${R}\nnext line`);
  });
});

describe('redactArgv', () => {
  it('redacts the argv of the QA command: the question, the constraints JSON and curl -u given as two arguments', () => {
    const argv = redactArgv(['dynamic-workflow', QA_QUESTION, '-i', 'access_logs.csv', '--constraints', '{"api_key":"ConsKey444"}', '-u', 'bob:CurlPw5678', '--user', 'root']);
    expect(argv).toEqual(['dynamic-workflow', redactText(QA_QUESTION), '-i', 'access_logs.csv', '--constraints', `{"api_key":${R}}`, '-u', `bob:${R}`, '--user', 'root']);
  });

  it('redacts the value after any flag naming a secret of the list', () => {
    expect(redactArgv(['--cookie', 'sid=1', '--session-key', 'sk', '--pwd', 'p', '--rows', '10'])).toEqual(['--cookie', R, '--session-key', R, '--pwd', R, '--rows', '10']);
  });
});

describe('what stays readable', () => {
  const kept = [
    'read password_reset.csv: 3 columns (user, reset_token_sent, at)',
    'password_reset.csv',
    'reset_token.csv: no such file',
    '/srv/cases/cookie: no such file',
    'C:\\keys\\private_key: access denied',
    'passwords: 3 rows, tokens: 12 rows',
    'Analyze access keys, session keys and API keys in the auth log',
    '/etc/passwd: is outside the folders this server may read and write',
    'scp backup-token:/srv/exports/x.csv .',
  ];
  it.each(kept)('leaves %j untouched', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('a session of the QA command', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-redact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes none of the secrets, in the question, the argv or the constraints logged as an object', async () => {
    const argv = ['dynamic-workflow', QA_QUESTION, '-i', 'access_logs.csv', '--constraints', '{"api_key":"ConsKey444"}', 'curl -u bob:CurlPw5678', '-----BEGIN RSA PRIVATE KEY-----MIIEpemNoEnd'];
    const session = SessionLogger.start({ logDir: dir, argv });
    session.logInteraction('question', QA_QUESTION, 'command_line', { input_files: ['access_logs.csv'] }, 'argument');
    session.logInfo('constraints', 'the constraints given', { constraints: { api_key: 'ConsKey555', time_budget_seconds: 60 }, raw: '{"api_key":"ConsKey666"}' });
    const { path } = await session.close();
    const written = await readFile(path, 'utf8');
    const leaked = ['Leak1', 'Leak2', 'Leak3', 'Leak4', 'Leak5', 'Leak6', 'Leak7', 'Leak8', 'Leak9', 'Leak10', 'Leak11', 'ConsKey444', 'ConsKey555', 'ConsKey666', 'CurlPw5678', 'MIIEpemNoEnd'].filter((s) => written.includes(s));
    expect(leaked).toEqual([]);
    const document = compiledSessionSchema.parse(JSON.parse(written));
    expect(document.session_metadata.argv.slice(2, 6)).toEqual(['-i', 'access_logs.csv', '--constraints', `{"api_key":${R}}`]);
    expect(document.agent_interactions[0]).toMatchObject({ question: redactText(QA_QUESTION) });
    expect(document.log_entries.find((e) => e.type === 'constraints')?.metadata['constraints']).toEqual({ api_key: R, time_budget_seconds: 60 });
  });
});

describe('linear time on hostile input', () => {
  // Each took seconds before (quadratic): the logger's pre-check on `x://` and many colons, the private key pattern
  // on many headers without an END line.
  const hostile: [name: string, text: string][] = [
    ['a URL scheme and 50,000 colons', `x://${':'.repeat(50_000)}`],
    ['13,000 private key headers without an END line', '-----BEGIN RSA PRIVATE KEY-----'.repeat(13_000)],
    ['a 200,000-character flag', ` --${'token'.repeat(40_000)}`],
    ['50,000 unterminated JSON keys', '"password":"'.repeat(50_000)],
    ['a cookie header of 50,000 pairs', `Cookie: ${'a=1;'.repeat(50_000)}`],
  ];
  it.each(hostile)('redacts %s in well under a second', (_name, text) => {
    const started = performance.now();
    redactText(text);
    mayHoldSecret(text);
    redactArgv([text, text]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
