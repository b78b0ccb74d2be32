// Commits a record file to the git repo that holds it, so the audit history is git history too.
import { dirname, relative } from 'node:path';
import { simpleGit } from 'simple-git';
import { LogbookError } from '../../core/errors.ts';
import { redactText } from '../../core/redact.ts';

export async function commitRecord(file: string, message: string): Promise<string> {
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
  const path = relative(top, file);
  await repo.add(path);
  // Only the record is committed: whatever else is staged stays staged, untouched.
  const result = await repo.commit(redactText(message), [path]);
  return result.commit;
}
