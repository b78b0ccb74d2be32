// Redaction by value (every encoded form), by format (the catalogue), streaming, and its linear time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputTail } from '../../../src/core/output-tail.ts';
import { createLineRedactor, isSecretName, redactText, registerSecret, registerSecretsFromEnvironment } from '../../../src/core/redact.ts';
import { RE2JS } from 're2js';
import { newAssignmentMemo, scanAssignment } from '../../../src/core/redact/assignment-scanner.ts';
import { TOKEN_FORMATS } from '../../../src/core/redact/token-formats.ts';
import { FAKE, PEM_BEGIN, PEM_END } from '../../helpers/fake-secrets.ts';

describe('redaction by value', () => {
  const secret = 'v@lue w/ "quotes" & more';
  registerSecretsFromEnvironment({ DEPLOY_TOKEN: secret, API_KEY_ID: 'prod', GIT_AUTHOR_NAME: 'Jane Developer', PWD: '/home/jane/project' });

  it('scrubs a secret-named variable in raw, %-encoded, JSON-escaped and base64 forms', () => {
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    for (const form of forms) assert.equal(redactText(`before ${form} after`), 'before *** after', form);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${secret} trailing`).toString('base64');
      const out = redactText(`Basic-ish ${encoded}`);
      assert.ok(out.includes('***'), `base64 at alignment ${prefix.length}: ${out}`);
      // What is left of the encoding no longer decodes to the secret, nor to most of it.
      assert.ok(!Buffer.from(out.split(' ')[1]!.replace('***', ''), 'base64').toString('latin1').includes(secret.slice(3, 14)), out);
    }
  });

  it('leaves short values of secret-named variables and non-secret names alone', () => {
    assert.equal(redactText('deploying to prod'), 'deploying to prod');
    assert.equal(redactText('API_KEY_ID=prod'), 'API_KEY_ID=prod');
    assert.equal(redactText('performed by Jane Developer in /home/jane/project'), 'performed by Jane Developer in /home/jane/project');
  });

  it('judges names by whole words', () => {
    for (const name of ['GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'PGPASSWORD', 'DB_PASS', 'stripeApiKey', 'OAUTH', 'CLIENT_CREDENTIALS', 'SSH_PRIVATE'])
      assert.ok(isSecretName(name), name);
    for (const name of ['GIT_AUTHOR_NAME', 'KEYBOARD', 'PWD', 'OLDPWD', 'SSH_AUTH_SOCK', 'KEY_FILE', 'HOME', 'PATH']) assert.ok(!isSecretName(name), name);
  });

  it('scrubs the database password registered when its URL is parsed, and URL passwords in the environment', () => {
    registerSecret('db-pa$$ word');
    registerSecretsFromEnvironment({ OTHER_URL: `https://svc:${encodeURIComponent('svc pass:42')}@example.test/x` });
    assert.equal(redactText('password db%2Dpa%24%24%20word'.replace('%2D', '-')), 'password ***');
    assert.equal(redactText('it was svc pass:42, really'), 'it was ***, really');
  });
});

describe('redaction by format', () => {
  const cases: [string, string][] = [
    ['github', `GITHUB_TOKEN=${FAKE.github}`],
    ['github fine-grained', `token ${FAKE.githubFineGrained}`],
    ['gitlab', `x ${FAKE.gitlab} y`],
    ['aws key id', `AWS_ACCESS_KEY_ID=${FAKE.awsAccessKeyId}`],
    ['aws secret', `aws_secret_access_key = ${FAKE.awsSecretAccessKey}`],
    ['google', `key=${FAKE.google}`],
    ['slack', `SLACK=${FAKE.slack}`],
    ['stripe', `charge with ${FAKE.stripe} now`],
    ['jwt', `id_token: ${FAKE.jwt}`],
    ['bearer', `Authorization: Bearer ${FAKE.jwt}`],
    ['json password', `{"user":"app","password":"${FAKE.jsonPassword}"}`],
    ['url password', `postgresql://app:${FAKE.urlPassword}@db.internal:5432/app`],
  ];
  for (const [name, line] of cases) {
    it(`recognises ${name} without knowing the value`, () => {
      const secret = Object.values(FAKE).find((value) => line.includes(value))!;
      const out = redactText(line);
      assert.ok(!out.includes(secret), out);
      assert.ok(out.includes('***'), out);
    });
  }

  it('leaves ordinary words after "basic", "token" and "author" alone', () => {
    for (const text of ['basic functionality restored', 'token refreshed', 'author: "Jane Developer"', 'bearer of news']) assert.equal(redactText(text), text);
    assert.equal(redactText('Authorization: Basic dXNlcjpwYXNzd29yZA=='), 'Authorization: Basic ***');
  });

  it('keeps the key of a key=value pair and the text around it', () => {
    assert.equal(redactText('PGPASSWORD=abc pg_dump -d app'), 'PGPASSWORD=*** pg_dump -d app');
    assert.equal(redactText('connecting to postgresql://app:pw@db/app'), 'connecting to postgresql://app:***@db/app');
  });

  it('hides a private key block from BEGIN to END, whole or streamed line by line', () => {
    const text = `before\n${PEM_BEGIN}\n${FAKE.privateKeyBody}\n${PEM_END}\nafter`;
    assert.equal(redactText(text), 'before\n***\nafter');
    const redactLine = createLineRedactor();
    const lines = text.split('\n').map(redactLine);
    assert.ok(!lines.join('\n').includes(FAKE.privateKeyBody));
    assert.equal(lines.at(-1), 'after');
  });

  it('the hand scanner for key=value pairs finds what the reference pattern finds', () => {
    const lines = [
      'PGPASSWORD=abc pg_dump',
      '{"user":"app","password":"p\\"q"}',
      "password: 'x y'",
      'password = ""',
      'passwd:secret;rest',
      'password=',
      'password "x"',
      'DB_PASSWORD_FILE=/run/secret',
      'password="unterminated',
      'api_key=short',
      'api_key=longenough1',
      'client_secret: "0123456789"',
      "auth_token='abcdefgh'",
      'token expired',
    ];
    for (const format of TOKEN_FORMATS.filter((f) => f.assignment)) {
      const regex = RE2JS.compile(format.pattern);
      for (const line of lines) {
        const expected: string[] = [];
        const matcher = regex.matcher(line);
        while (matcher.find()) expected.push(line.slice(matcher.start(1), matcher.end(1)));
        const found: string[] = [];
        const lower = line.toLowerCase();
        const memo = newAssignmentMemo();
        for (const keyword of format.keywords) {
          for (let at = lower.indexOf(keyword); at >= 0; at = lower.indexOf(keyword, at + 1)) {
            const value = scanAssignment(line, at, format.assignment!.minValueLength, memo);
            if (value && !found.includes(line.slice(value.start, value.end))) found.push(line.slice(value.start, value.end));
          }
        }
        assert.deepEqual(found.sort(), expected.sort(), `${format.id}: ${line}`);
      }
    }
  });

  it('every catalogue entry has keywords a match must contain', () => {
    for (const format of TOKEN_FORMATS) {
      assert.ok(format.keywords.length > 0, format.id);
      for (const keyword of format.keywords) assert.equal(keyword, keyword.toLowerCase(), format.id);
    }
  });
});

describe('streamed output', () => {
  it('redacts each line as it arrives and bounds a huge line', () => {
    const tail = new OutputTail(60, 16_384, 100);
    const streamed = [...tail.push(`token ${FAKE.github.slice(0, 10)}`), ...tail.push(`${FAKE.github.slice(10)} done\n`)];
    assert.deepEqual(streamed, ['token *** done']);
    const huge = 'ab'.repeat(1_000_000);
    const lines: string[] = [];
    for (let i = 0; i < huge.length; i += 65_536) lines.push(...tail.push(huge.slice(i, i + 65_536)));
    lines.push(...tail.end());
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.length < 200, `kept ${lines[0]!.length} characters`);
    assert.match(lines[0]!, /\[1999900 more characters\]$/);
  });
});

describe('linear time', () => {
  // Each input is built so that a backtracking engine would revisit it: keywords everywhere, no match.
  const adversarial: Record<string, (size: number) => string> = {
    hex: (size) => 'deadbeef0123456789abcdef'.repeat(size / 24),
    'url userinfo': (size) => 'a://'.repeat(size / 4),
    'password pairs': (size) => 'password password '.repeat(size / 18),
    bearer: (size) => 'Bearer '.repeat(size / 7),
    'jwt-like': (size) => 'eyJaaaa.'.repeat(size / 8),
    'secret assignments': (size) => '"token" "token":'.repeat(size / 16),
    // A real match first makes the region worth searching; then a keyword every few characters.
    'keywords after a real token': (size) => `${FAKE.github} ${'ghp_'.repeat(size / 4)}`,
    'pairs whose values run on': (size) => 'passwordPASSWORDa='.repeat(size / 18),
    'escaped quotes': (size) => `password=x ${'password="\\"'.repeat(size / 12)}`,
  };
  /**
   * CPU time, the best of alternating runs: on a shared machine wall time mostly measures the neighbours,
   * and a short run slips between their time slices more often than a long one, which skews a ratio.
   */
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const bestTimes = (small: string, large: string) => {
    const best = [Infinity, Infinity];
    for (let run = 0; run < 4; run++) {
      [small, large].forEach((text, i) => {
        const started = cpuMs();
        redactText(text);
        best[i] = Math.min(best[i]!, cpuMs() - started);
      });
    }
    return best as [number, number];
  };
  for (const [name, make] of Object.entries(adversarial)) {
    it(`5 MB of ${name} takes at most 8x the time of 1 MB`, () => {
      const small = make(1_000_000);
      const large = make(5_000_000);
      const [smallMs, largeMs] = bestTimes(small, large);
      const ratio = largeMs / Math.max(smallMs, 1);
      assert.ok(ratio <= 8, `5 MB / 1 MB time ratio ${ratio.toFixed(1)}`);
    });
  }
});
