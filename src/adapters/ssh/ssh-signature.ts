// Record signatures with the operator's SSH key, exactly as git signs commits: `ssh-keygen -Y sign` with a
// namespace of our own, checked against an allowed-signers file in git's format.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import { type ProcessResult, runProcess } from '../process/run-process.ts';

/** Signatures made for records cannot be replayed as git commit or file signatures, nor the other way round. */
export const SIGNATURE_NAMESPACE = 'migration-logbook';

async function sshKeygen(args: string[], input: string): Promise<ProcessResult> {
  const result = await runProcess('ssh-keygen', args, { input, stdout: 'text', stderr: 'text' });
  if (result.spawnError) {
    throw new LogbookError('ssh-keygen could not be started', {
      code: 'E_SSH_KEYGEN',
      outcome: 'usage',
      cause: result.spawnError,
      hint: 'install OpenSSH 8.2 or newer (ssh-keygen -Y), or remove "signing" from the config',
    });
  }
  return result;
}

/** `~/…` and relative paths (against the config's folder) to an absolute path. */
export function resolveKeyPath(path: string, baseDir: string): string {
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : resolve(baseDir, path);
}

/** What is signed: the record's id and its digest (which covers its facts and its position). */
export function signedMessage(id: string, digest: string): string {
  return `${SIGNATURE_NAMESPACE} record ${id} ${digest}\n`;
}

/** Sign with a private key file (or a public key whose private half is in ssh-agent). */
export async function signMessage(keyFile: string, message: string): Promise<string> {
  const result = await sshKeygen(['-Y', 'sign', '-q', '-f', keyFile, '-n', SIGNATURE_NAMESPACE], message);
  if (result.exitCode !== 0 || !result.stdout.includes('BEGIN SSH SIGNATURE')) {
    throw new LogbookError(`could not sign the record with ${keyFile}: ${result.stderr.trim().split('\n')[0] ?? 'ssh-keygen failed'}`, {
      code: 'E_SIGN',
      outcome: 'usage',
      hint: 'check signing.key in the config (or LOGBOOK_SIGNING_KEY): a readable private key without a passphrase, or one loaded in ssh-agent',
    });
  }
  return result.stdout.trim();
}

export type SignatureCheck = { valid: true; signer: string } | { valid: false; reason: string };

/** Who signed `message`, if an allowed signer did; the signer is the principal named in the allowed-signers file. */
export async function checkSignature(allowedSigners: string, message: string, signature: string): Promise<SignatureCheck> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-sig-'));
  try {
    const sigFile = join(dir, 'record.sig');
    await writeFile(sigFile, `${signature.trim()}\n`);
    const found = await sshKeygen(['-Y', 'find-principals', '-s', sigFile, '-f', allowedSigners], '');
    const principals = found.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (found.exitCode !== 0 || principals.length === 0) return { valid: false, reason: 'signed by a key that is not in the allowed signers' };
    for (const principal of principals) {
      const verified = await sshKeygen(['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', SIGNATURE_NAMESPACE, '-s', sigFile], message);
      if (verified.exitCode === 0) return { valid: true, signer: principal };
    }
    return { valid: false, reason: `the signature of ${principals.join(', ')} does not match this record (its id or digest changed after signing)` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
