/**
 * The files waiting in the composer to go with the next message: picked, pasted or dropped, after the early checks
 * (size, type, count; the hub still decides). Holds the drop target's state too.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LIMITS } from '../../protocol/limits.js';
import { checkFile } from '../attachments.js';
import { type WidgetStrings, format } from '../strings.js';

export interface FileStagingOptions {
  strings(): WidgetStrings;
  /** Refused files, named (an empty string: nothing to say). */
  notice(text: string): void;
  /** Back to the composer after a change. */
  focus(): void;
}

export class FileStaging implements ReactiveController {
  files: File[] = [];
  /** Files are being dragged over the window. */
  dropping = false;
  /** Enter/leave pairs of the window's children, so leaving a child doesn't end the drop target. */
  #depth = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: FileStagingOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Adds files after the early checks; refused ones are named in the notice. */
  add(files: Iterable<File>): void {
    const t = this.options.strings();
    const problems = new Set<string>();
    const staged = [...this.files];
    for (const file of files) {
      const problem = checkFile(file, t);
      if (problem) problems.add(problem);
      else if (staged.length >= LIMITS.attachmentsPerMessage) problems.add(format(t.tooManyFiles, { count: LIMITS.attachmentsPerMessage }));
      else staged.push(file);
    }
    this.files = staged;
    this.options.notice([...problems].join(' '));
    this.options.focus();
    this.host.requestUpdate();
  }

  remove(index: number): void {
    this.files = this.files.filter((_, i) => i !== index);
    this.options.focus();
    this.host.requestUpdate();
  }

  /** Hands the files over (to the message being sent) and empties the composer's tray. */
  take(): File[] {
    const files = this.files;
    this.files = [];
    this.host.requestUpdate();
    return files;
  }

  onPick = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.add(input.files ?? []);
    input.value = '';
  };

  onPaste = (event: ClipboardEvent): void => {
    const files = event.clipboardData?.files;
    if (!files?.length) return;
    event.preventDefault();
    this.add(files);
  };

  onDrag = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    if (event.type === 'dragenter') this.#depth++;
    else if (event.type === 'dragleave') this.#depth--;
    else if (event.type === 'drop') {
      this.#depth = 0;
      this.add(event.dataTransfer.files);
    } else event.dataTransfer.dropEffect = 'copy';
    const dropping = this.#depth > 0;
    if (dropping !== this.dropping) {
      this.dropping = dropping;
      this.host.requestUpdate();
    }
  };
}
