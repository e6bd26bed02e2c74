import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { AppFailure } from "../errors";
import * as ipc from "../ipc";
import { statusFixture } from "../test/fixtures";
import { AccountSection } from "./AccountSection";

vi.mock("../ipc", () => ({
  signIn: vi.fn(),
  signOut: vi.fn(),
  syncNow: vi.fn(),
}));

describe("AccountSection", () => {
  beforeEach(() => {
    vi.mocked(ipc.signIn).mockReset();
    vi.mocked(ipc.signOut).mockReset();
    vi.mocked(ipc.syncNow).mockReset();
  });

  it("signs in with the form's values, syncs, and reloads the window", async () => {
    vi.mocked(ipc.signIn).mockResolvedValue({
      server: "https://green.example.com/",
      user_id: 7,
      email: "ana@example.org",
    });
    vi.mocked(ipc.syncNow).mockRejectedValue(new Error("offline"));
    const reload = vi.fn();
    render(<AccountSection status={statusFixture()} reload={reload} />);

    const server = screen.getByLabelText("Server address");
    await userEvent.clear(server);
    await userEvent.type(server, "https://green.example.com/");
    await userEvent.type(screen.getByLabelText("E-mail address"), "ana@example.org");
    await userEvent.type(screen.getByLabelText("Password"), "a long password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(ipc.signIn).toHaveBeenCalledWith(
      "https://green.example.com/",
      "ana@example.org",
      "a long password",
    );
    expect(ipc.syncNow).toHaveBeenCalledOnce();
    expect(reload).toHaveBeenCalledOnce();
  });

  it("says why a sign-in failed, by its code, and forgets the password", async () => {
    vi.mocked(ipc.signIn).mockRejectedValue(
      new AppFailure({ code: "invalid_credentials", message: "wrong" }),
    );
    const reload = vi.fn();
    render(<AccountSection status={statusFixture()} reload={reload} />);

    await userEvent.type(screen.getByLabelText("Server address"), "green.example.com/");
    await userEvent.type(screen.getByLabelText("E-mail address"), "ana@example.org");
    await userEvent.type(screen.getByLabelText("Password"), "not it");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The e-mail address or password is wrong",
    );
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(reload).not.toHaveBeenCalled();
  });

  it("shows who is signed in and signs out", async () => {
    vi.mocked(ipc.signOut).mockResolvedValue({
      account: null,
      revoked: true,
      keychain_entry_deleted: true,
      files_removed: ["greenmile.sqlite"],
    });
    const reload = vi.fn();
    const status = statusFixture({
      mode: "connected",
      account_email: "ana@example.org",
      server_url: "https://green.example.com/",
    });
    render(<AccountSection status={status} reload={reload} />);

    expect(screen.getByTestId("account-signed-in")).toHaveTextContent(
      "Signed in as ana@example.org at https://green.example.com/.",
    );
    expect(screen.queryByLabelText("Password")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));

    expect(ipc.signOut).toHaveBeenCalledOnce();
    expect(reload).toHaveBeenCalledOnce();
  });
});
