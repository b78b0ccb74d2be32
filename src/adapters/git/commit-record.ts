// Commits a record file to the git repo that holds it, so the audit history is git history too.
import { dirname, relative } from 'node:path';
import { simpleGit } from 'simple-git';
import { LogbookError } from '../../core/errors.ts';
import { redactText } from '../../core/redact.ts';

/** `alongside`: files committed with the record (its snapshot files), which may already be tracked unchanged. */
export async function commitRecord(file: string, message: string, alongside: string[] = []): Promise<string> {
  const git = simpleGit(dirname(file));
  const top = (await git.revparse(['--show-toplevel']).catch(() => '')).trim();
  if (!top) {
    throw new LogbookError(`cannot commit ${file}: it is not inside a git repository`, {
      code: 'E_GIT',
      outcome: 'attention',
      hint: 'run `git init` in the folder that holds content/records, or drop --commit (the record is written either way)',
    });
  }
  const repo = simpleGit(top);
  const paths = [relative(top, file), ...alongside.map((extra) => relative(top, extra))];
  await repo.add(paths);
  // Only the record and its snapshot files are committed: whatever else is staged stays staged, untouched.
  const result = await repo.commit(redactText(message), paths);
  return result.commit;
}
