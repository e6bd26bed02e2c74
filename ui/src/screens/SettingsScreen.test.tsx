import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { LANGUAGE_KEY } from "../i18n";
import * as ipc from "../ipc";
import { stubMatchMedia } from "../test/media";
import { statusFixture } from "../test/fixtures";
import { applyTheme, followSystemTheme, THEME_KEY } from "../theme";
import { SettingsScreen } from "./SettingsScreen";

vi.mock("../ipc");

const DARK = "(prefers-color-scheme: dark)";

describe("SettingsScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.notificationsEnabled).mockResolvedValue(false);
  });

  it("switches the visible text to Chinese and back, remembering the pick", async () => {
    render(<SettingsScreen status={statusFixture()} />);
    expect(screen.getByText("Language", { selector: "h2" })).toBeVisible();

    await userEvent.click(screen.getByLabelText("简体中文"));

    expect(await screen.findByText("语言", { selector: "h2" })).toBeVisible();
    expect(screen.getByText("主题", { selector: "h2" })).toBeVisible();
    expect(screen.queryByText("Language", { selector: "h2" })).not.toBeInTheDocument();
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe("zh-CN");

    // jsdom's system language is en-US: following it again means English, and no pick stored.
    await userEvent.click(screen.getByLabelText("跟随系统（English）"));

    expect(await screen.findByText("Language", { selector: "h2" })).toBeVisible();
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem(LANGUAGE_KEY)).toBeNull();
    expect(screen.getByLabelText("Follow the system (English)")).toBeChecked();
  });

  it("shows the remembered language as picked", () => {
    localStorage.setItem(LANGUAGE_KEY, "zh-CN");
    render(<SettingsScreen status={statusFixture()} />);

    expect(screen.getByLabelText("简体中文")).toBeChecked();
    expect(screen.getByLabelText("English")).not.toBeChecked();
  });

  it("paints the document in the chosen theme and keeps the choice for the next start", async () => {
    stubMatchMedia();
    applyTheme();
    render(<SettingsScreen status={statusFixture()} />);
    expect(screen.getByLabelText("Follow the system")).toBeChecked();
    expect(document.documentElement.dataset.theme).toBe("light");

    await userEvent.click(screen.getByLabelText("Dark"));

    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(localStorage.getItem(THEME_KEY)).toBe("dark");
    expect(screen.getByLabelText("Dark")).toBeChecked();

    // The next start: a fresh document reads the choice back before anything renders.
    delete document.documentElement.dataset.theme;
    applyTheme();
    expect(document.documentElement.dataset.theme).toBe("dark");

    await userEvent.click(screen.getByLabelText("Light"));
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(localStorage.getItem(THEME_KEY)).toBe("light");
  });

  it("follows the system's colours while the choice is 'system', and only then", async () => {
    const media = stubMatchMedia(DARK);
    localStorage.setItem(THEME_KEY, "light");
    applyTheme();
    render(<SettingsScreen status={statusFixture()} />);
    expect(document.documentElement.dataset.theme).toBe("light");

    await userEvent.click(screen.getByLabelText("Follow the system"));

    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(localStorage.getItem(THEME_KEY)).toBeNull();

    const stop = followSystemTheme();
    media.set();
    expect(document.documentElement.dataset.theme).toBe("light");

    await userEvent.click(screen.getByLabelText("Dark"));
    media.set(DARK);
    media.set();
    expect(document.documentElement.dataset.theme).toBe("dark");
    stop();
  });

  it("shows the app's version and what the demo is", () => {
    render(<SettingsScreen status={statusFixture({ mode: "demo", version: "0.4.2" })} />);

    expect(screen.getByTestId("app-version")).toHaveTextContent("0.4.2");
    expect(screen.getByText("Demo")).toBeVisible();
    expect(screen.getByText(/This is a demo\./)).toBeVisible();
  });

  it("keeps notifications off until turned on, and saves the choice", async () => {
    vi.mocked(ipc.setNotifications).mockImplementation((on) => Promise.resolve(on));
    render(<SettingsScreen status={statusFixture()} />);

    const toggle = screen.getByLabelText("Notify me of new badges and instalments due soon");
    await vi.waitFor(() => {
      expect(toggle).toBeEnabled();
    });
    expect(toggle).not.toBeChecked();

    await userEvent.click(toggle);

    expect(ipc.setNotifications).toHaveBeenCalledWith(true);
    expect(toggle).toBeChecked();
  });

  it("switches the demo to another persona", async () => {
    const onResetDemo = vi.fn();
    render(
      <SettingsScreen
        status={statusFixture({ mode: "demo", demo_persona: "household" })}
        onResetDemo={onResetDemo}
      />,
    );
    const show = screen.getByRole("button", { name: "Show this persona" });
    expect(show).toBeDisabled();

    await userEvent.selectOptions(screen.getByLabelText("Demo persona"), "ev_driver");
    await userEvent.click(show);

    expect(onResetDemo).toHaveBeenCalledWith("ev_driver");
  });

  it("names the server instead when connected", () => {
    render(
      <SettingsScreen
        status={statusFixture({ mode: "connected", server_url: "https://green.example.com/" })}
      />,
    );

    expect(screen.getByText("Connected")).toBeVisible();
    expect(screen.getByText(/Connected to https:\/\/green\.example\.com\//)).toBeVisible();
    expect(screen.queryByText(/This is a demo\./)).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Demo persona")).not.toBeInTheDocument();
  });
});
