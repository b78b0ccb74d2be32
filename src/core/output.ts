// What the workflow and commands print through: result lines on stdout, progress on stderr (the terminal form is in src/cli/output.ts).
export interface Output {
  /** A result line on stdout. */
  line(text?: string): void;
  /** Progress or diagnostics on stderr. */
  info(text: string): void;
  warn(text: string): void;
  /** A JSON document on stdout. */
  json(value: unknown): void;
  /** Whether stderr is an interactive terminal (progress may redraw). */
  readonly interactive: boolean;
}
