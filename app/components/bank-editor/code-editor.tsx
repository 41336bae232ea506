import { useEffect, useRef, useState } from 'react';
import type { BankError } from '../../../engine/bank/parse';
import type { BankEditorHandle } from './code-editor-view';

/**
 * The code editor over the bank's textarea (progressive enhancement): CodeMirror is loaded with a
 * dynamic import once the page is interactive, then shown in place of the textarea, which stays
 * the form's field (every edit is mirrored into it through `onChange`). Without JavaScript, or
 * while CodeMirror loads, the textarea is the editor.
 */
export function CodeEditor({
  text,
  errors,
  families,
  itemOffset,
  onChange,
  onReady,
  labelledBy,
  describedBy,
}: {
  text: string;
  /** The server's check of `text` (already cleared by the caller when stale). */
  errors: readonly BankError[];
  families: readonly { id: string; title: string }[];
  itemOffset: number;
  onChange: (text: string) => void;
  /** Called with the editor once it is shown (null when it goes). */
  onReady: (editor: BankEditorHandle | null) => void;
  labelledBy: string;
  describedBy: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<BankEditorHandle | null>(null);
  const latest = useRef({ text, onChange, onReady, errors });
  latest.current = { text, onChange, onReady, errors };
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let gone = false;
    import('./code-editor-view')
      .then(({ createBankEditor }) => {
        if (gone || !host.current) return;
        editor.current = createBankEditor({
          parent: host.current,
          text: latest.current.text,
          families,
          itemOffset,
          onChange: (value) => latest.current.onChange(value),
          labelledBy,
          describedBy,
        });
        editor.current.setErrors(latest.current.errors);
        latest.current.onReady(editor.current);
      })
      // The textarea stays: an editor that cannot load is no reason to stop editing.
      .catch(() => setFailed(true));
    return () => {
      gone = true;
      editor.current?.destroy();
      editor.current = null;
      latest.current.onReady(null);
    };
    // The editor is made once per page; its text and errors follow through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => editor.current?.setText(text), [text]);
  useEffect(() => editor.current?.setErrors(errors), [errors]);

  return failed ? null : <div ref={host} className="code-editor" data-testid="code-editor" />;
}
