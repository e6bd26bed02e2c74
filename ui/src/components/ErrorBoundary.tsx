/**
 * Catches an error thrown while a screen renders, so one bad figure shows a message and a way
 * back instead of a blank window; the error itself goes to the console for the diagnostics.
 */
import { Component, type ErrorInfo, type ReactNode } from "react";
import i18next from "i18next";

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("a screen failed to render", error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <section className="notice notice-error" role="alert" data-testid="render-error">
        <p className="notice-title">{i18next.t("errors.render.title")}</p>
        <p>{i18next.t("errors.render.body")}</p>
        <details>
          <summary>{i18next.t("sync.details")}</summary>
          <p>{error.message}</p>
        </details>
        <button
          type="button"
          className="button"
          onClick={() => {
            this.setState({ error: null });
          }}
        >
          {i18next.t("errors.render.retry")}
        </button>
      </section>
    );
  }
}
