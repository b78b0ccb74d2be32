// Long identifiers (migration names, table names) split into pieces a line may break between: after `_`, `-`,
// `.` and `/`, never inside a word.
export function breakableParts(name: string): string[] {
  return name.split(/(?<=[_\-./])/).filter(Boolean);
}
