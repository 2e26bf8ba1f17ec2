import { Modal } from '../Modal';

export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ['Ctrl+Enter', 'Run the workflow'],
  ['Ctrl+S', 'Save'],
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'Redo'],
  ['Delete / Backspace', 'Delete the selection'],
  ['Ctrl+C / Ctrl+V', 'Copy / paste nodes'],
  ['Ctrl+D', 'Duplicate the selection'],
  ['Ctrl+A', 'Select all nodes'],
  ['Shift+L', 'Auto-layout'],
  ['Shift+F', 'Fit the view'],
  ['Shift+drag', 'Box selection'],
  ['Ctrl+click', 'Add to the selection'],
  ['Escape', 'Close a dialog or clear the selection'],
  ['?', 'This help'],
];

export function HelpDialog({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="help-dialog">
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">On macOS, Cmd works wherever Ctrl is listed. Drop a node into a box (For Each, Retry, Try-Catch…) to make it part of that box's body.</p>
    </Modal>
  );
}
