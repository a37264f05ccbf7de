// The message at the bottom: "8 Things deleted · Undo" for a few seconds, or an error until dismissed.
import { useEffect } from "react";

export type ToastMessage =
  | { kind: "undo"; key: number; text: string; onUndo: () => void }
  | { kind: "info" | "error"; key: number; text: string };

const undoShownMs = 8000;

export function Toast({ message, onClose }: { message: ToastMessage | null; onClose: () => void }) {
  useEffect(() => {
    if (message?.kind !== "undo") return;
    const timer = window.setTimeout(onClose, undoShownMs);
    return () => window.clearTimeout(timer);
  }, [message, onClose]);

  if (!message) return null;
  return (
    <div className={`toast ${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
      <span>{message.text}</span>
      {message.kind === "undo" && (
        <button
          type="button"
          onClick={() => {
            onClose();
            message.onUndo();
          }}
        >
          Undo
        </button>
      )}
      <button type="button" className="close" aria-label="Dismiss" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
