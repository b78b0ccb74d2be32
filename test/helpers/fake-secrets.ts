// Obviously fake but format-valid secrets, assembled at run time from pieces so that secret scanners
// do not flag this repository.

const join = (...parts: string[]) => parts.join('');
const repeatTo = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

export const FAKE = {
  github: join('gh', 'p_', repeatTo('FAKEfake0', 36)),
  githubFineGrained: join('github', '_pat_', repeatTo('FAKE_fake0', 82)),
  gitlab: join('glp', 'at-', repeatTo('FAKEfake0', 20)),
  awsAccessKeyId: join('AK', 'IA', repeatTo('FAKEXAMPLE', 16)),
  awsSecretAccessKey: join('wJalr', repeatTo('FAKE/fake+0', 35)),
  google: join('AI', 'za', repeatTo('FAKE_fake-0', 35)),
  slack: join('xo', 'xb-', '000000000000-', repeatTo('FAKEfake', 24)),
  stripe: join('sk', '_live_', repeatTo('FAKEfake0', 24)),
  jwt: join('ey', 'JhbGciOiJIUzI1NiJ9', '.', 'ey', 'JzdWIiOiJmYWtlIn0', '.', repeatTo('FAKEsig0', 43)),
  jsonPassword: join('json', '-pass', '-fake-0001'),
  urlPassword: join('url', '-pass', '-fake-0002'),
  privateKeyBody: join('MIIE', repeatTo('FAKEKEY0', 60)),
  /** A secret-named variable's value that matches no format: only redaction by value can catch it. */
  opaque: join('opaque', '-fake-', 'value-0003'),
};

export const PEM_BEGIN = join('-----BEGIN ', 'RSA PRIVATE', ' KEY-----');
export const PEM_END = join('-----END ', 'RSA PRIVATE', ' KEY-----');
