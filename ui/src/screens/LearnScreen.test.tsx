import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { AppFailure } from "../errors";
import * as ipc from "../ipc";
import { badgeWallFixture, lessonFixture, outcomeFixture, progressFixture } from "../test/fixtures";
import { LearnScreen } from "./LearnScreen";

vi.mock("../ipc");

async function openQuiz() {
  const user = userEvent.setup();
  render(<LearnScreen version={1} />);
  await user.click(await screen.findByTestId("lesson-card"));
  await user.click(screen.getByTestId("quiz-start"));
  return user;
}

describe("LearnScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.learnLessons).mockResolvedValue([lessonFixture()]);
    vi.mocked(ipc.learnProgress).mockResolvedValue(progressFixture());
    vi.mocked(ipc.learnBadges).mockResolvedValue(badgeWallFixture());
  });

  it("shows the streak, XP and each lesson's state", async () => {
    vi.mocked(ipc.learnProgress).mockResolvedValue(
      progressFixture({
        xp: 120,
        streak: { current: 4, longest: 9, today_done: true, grace_days: [] },
      }),
    );
    render(<LearnScreen version={1} />);

    expect(await screen.findByTestId("learn-xp")).toHaveAttribute("data-value", "120");
    expect(screen.getByTestId("learn-streak")).toHaveTextContent("4 days");
    expect(screen.getByText("Longest: 9 days")).toBeInTheDocument();
    const card = screen.getByTestId("lesson-card");
    expect(card).toHaveTextContent("Energy labels");
    expect(card).toHaveAttribute("data-status", "new");
  });

  it("explains each answer after it is given, then shows the result", async () => {
    vi.mocked(ipc.learnCheckAnswer)
      .mockResolvedValueOnce({
        correct: false,
        answer: ["a"],
        explanation: { "zh-CN": "1级最高。", en: "Grade 1 is the best." },
        source: "China Energy Label Measures (2016)",
      })
      .mockResolvedValueOnce({
        correct: true,
        answer: ["a", "c"],
        explanation: { "zh-CN": "没有价格。", en: "The label has no price." },
        source: "China Energy Label Measures (2016)",
      });
    vi.mocked(ipc.learnSubmitAttempt).mockResolvedValue(
      outcomeFixture({
        score: {
          correct: 1,
          total: 2,
          passed: false,
          mastered: false,
          results: [
            { question_id: "grade-best", correct: false },
            { question_id: "label-shows", correct: true },
          ],
        },
        xp_gained: 10,
        badges_earned: [],
      }),
    );
    const user = await openQuiz();

    expect(screen.getByText("Question 1 of 2")).toBeInTheDocument();
    const check = screen.getByTestId("quiz-check");
    expect(check).toBeDisabled();
    await user.click(screen.getByLabelText("Grade 5"));
    await user.click(check);

    const first = await screen.findByTestId("quiz-feedback");
    expect(first).toHaveAttribute("data-correct", "false");
    expect(first).toHaveTextContent("Grade 1 is the best.");
    expect(first).toHaveTextContent("Source: China Energy Label Measures (2016)");
    expect(screen.getByLabelText("Grade 5")).toBeDisabled();
    expect(ipc.learnCheckAnswer).toHaveBeenLastCalledWith("energy-labels", {
      question_id: "grade-best",
      choices: ["b"],
    });

    await user.click(screen.getByTestId("quiz-next"));
    expect(screen.getByText("Choose every answer that applies.")).toBeInTheDocument();
    await user.click(screen.getByLabelText("The grade"));
    await user.click(screen.getByLabelText("The consumption"));
    await user.click(screen.getByTestId("quiz-check"));
    expect(await screen.findByTestId("quiz-feedback")).toHaveAttribute("data-correct", "true");
    await user.click(screen.getByTestId("quiz-next"));

    const result = await screen.findByTestId("quiz-result");
    expect(result).toHaveTextContent("1 of 2 right");
    expect(result).toHaveTextContent("Not passed yet");
    expect(result).toHaveTextContent("+10 XP");
    const [lessonId, answers, startedAt] = vi.mocked(ipc.learnSubmitAttempt).mock.calls[0] ?? [];
    expect(lessonId).toBe("energy-labels");
    expect(answers).toEqual([
      { question_id: "grade-best", choices: ["b"] },
      { question_id: "label-shows", choices: ["a", "c"] },
    ]);
    expect(Number.isNaN(Date.parse(startedAt ?? ""))).toBe(false);
  });

  it("names the badges and the streak a passed quiz earned", async () => {
    vi.mocked(ipc.learnCheckAnswer).mockResolvedValue({
      correct: true,
      answer: ["a"],
      explanation: { "zh-CN": "对。", en: "Yes." },
      source: "A source",
    });
    vi.mocked(ipc.learnSubmitAttempt).mockResolvedValue(outcomeFixture());
    const user = await openQuiz();

    await user.click(screen.getByLabelText("Grade 1"));
    await user.click(screen.getByTestId("quiz-check"));
    await user.click(await screen.findByTestId("quiz-next"));
    await user.click(screen.getByLabelText("The grade"));
    await user.click(screen.getByTestId("quiz-check"));
    await user.click(await screen.findByTestId("quiz-next"));

    const result = await screen.findByTestId("quiz-result");
    expect(result).toHaveTextContent("Mastered: every answer right");
    expect(within(result).getByTestId("quiz-streak")).toHaveTextContent("Streak: 3 days");
    expect(within(result).getByTestId("quiz-badge-earned")).toHaveTextContent(
      "Badge earned: First quiz passed",
    );
    expect(ipc.learnProgress).toHaveBeenCalledTimes(2);
  });

  it("keeps the answers and says what went wrong when saving fails", async () => {
    vi.mocked(ipc.learnCheckAnswer).mockResolvedValue({
      correct: true,
      answer: ["a"],
      explanation: { "zh-CN": "对。", en: "Yes." },
      source: "A source",
    });
    vi.mocked(ipc.learnSubmitAttempt).mockRejectedValueOnce(
      new AppFailure({ code: "cache", message: "disk full" }),
    );
    const user = await openQuiz();
    await user.click(screen.getByLabelText("Grade 1"));
    await user.click(screen.getByTestId("quiz-check"));
    await user.click(await screen.findByTestId("quiz-next"));
    await user.click(screen.getByLabelText("The grade"));
    await user.click(screen.getByTestId("quiz-check"));
    await user.click(await screen.findByTestId("quiz-next"));

    expect(await screen.findByRole("alert")).toBeInTheDocument();
    vi.mocked(ipc.learnSubmitAttempt).mockResolvedValueOnce(outcomeFixture());
    await user.click(screen.getByTestId("quiz-next"));
    expect(await screen.findByTestId("quiz-result")).toBeInTheDocument();
    expect(ipc.learnSubmitAttempt).toHaveBeenCalledTimes(2);
  });

  it("opens the lesson a bill's page asked for", async () => {
    render(<LearnScreen version={1} openLesson={{ id: "energy-labels" }} />);
    expect(await screen.findByTestId("lesson")).toHaveAttribute("data-lesson-id", "energy-labels");
    expect(screen.getByText("Grade 1 is the most efficient.")).toBeInTheDocument();
  });

  it("shows the newest catalogue once a sync has brought it", async () => {
    const { rerender } = render(<LearnScreen version={1} />);
    expect(await screen.findByTestId("lesson-card")).toHaveTextContent("Energy labels");

    const revised = lessonFixture();
    revised.title = { "zh-CN": "能效标识（修订）", en: "Energy labels, revised" };
    vi.mocked(ipc.learnLessons).mockResolvedValue([revised]);
    rerender(<LearnScreen version={2} />);

    expect(await screen.findByText("Energy labels, revised")).toBeInTheDocument();
    expect(ipc.learnLessons).toHaveBeenCalledTimes(2);
  });
});
