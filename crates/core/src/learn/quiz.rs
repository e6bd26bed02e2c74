//! Scoring a quiz attempt: on correctness only, never on speed.
//!
//! A question is right when the choices picked are exactly its answer (all of them, for a
//! multiple-choice question, and nothing else). An attempt passes at [`PASS_PERCENT`] and
//! masters its lesson when every answer is right. Answers for a question the lesson does not
//! have, the same question twice, a choice the question does not offer or a question left out
//! are refused, so a stored attempt always means what its score says.

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::content::{Lesson, Question, Text};

/// The share of right answers, in percent, that passes a quiz.
pub const PASS_PERCENT: u32 = 80;

/// XP for each question the first time it is answered right; retakes earn only for questions
/// not yet answered right, so repeating a quiz cannot farm points.
pub const XP_PER_QUESTION: u32 = 10;

/// XP the first time a lesson is mastered.
pub const XP_MASTERY: u32 = 50;

/// The choices picked for one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Answer {
    /// The question's id within its lesson.
    pub question_id: String,
    /// The ids of the choices picked.
    pub choices: Vec<String>,
}

/// Whether one question was answered right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuestionResult {
    /// The question's id.
    pub question_id: String,
    /// Whether the choices picked were exactly the answer.
    pub correct: bool,
}

/// The score of one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Score {
    /// Questions answered right.
    pub correct: u32,
    /// Questions in the quiz.
    pub total: u32,
    /// Whether `correct` reaches the pass mark.
    pub passed: bool,
    /// Whether every answer was right.
    pub mastered: bool,
    /// Each question, in the quiz's order.
    pub results: Vec<QuestionResult>,
}

/// Why answers were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The answers name a question the lesson does not have.
    #[error("the lesson {lesson} has no question {question}")]
    UnknownQuestion {
        /// The lesson.
        lesson: String,
        /// The question named.
        question: String,
    },
    /// The same question is answered twice.
    #[error("the question {question} is answered twice")]
    Duplicate {
        /// The question.
        question: String,
    },
    /// A choice the question does not offer.
    #[error("the question {question} has no choice {choice}")]
    UnknownChoice {
        /// The question.
        question: String,
        /// The choice named.
        choice: String,
    },
    /// A question of the quiz has no answer.
    #[error("the question {question} is not answered")]
    Unanswered {
        /// The question.
        question: String,
    },
}

/// What the learner sees right after answering one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnswerFeedback {
    /// Whether the choices picked were exactly the answer.
    pub correct: bool,
    /// The ids of the right choices.
    pub answer: Vec<String>,
    /// Why.
    pub explanation: Text,
    /// The document the claim comes from.
    pub source: String,
}

/// Checks one answer as it is given, for the explanation shown after it; the attempt is
/// scored again as a whole when it is recorded.
pub fn feedback(lesson: &Lesson, answer: &Answer) -> Result<AnswerFeedback, AnswerError> {
    let Some(question) = lesson.questions.iter().find(|q| q.id == answer.question_id) else {
        return Err(AnswerError::UnknownQuestion {
            lesson: lesson.id.clone(),
            question: answer.question_id.clone(),
        });
    };
    let offered = question.choices();
    if let Some(bad) = answer.choices.iter().find(|c| !offered.iter().any(|o| &o.id == *c)) {
        return Err(AnswerError::UnknownChoice {
            question: question.id.clone(),
            choice: bad.clone(),
        });
    }
    Ok(AnswerFeedback {
        correct: is_right(question, &answer.choices),
        answer: question.answer.clone(),
        explanation: question.explanation.clone(),
        source: question.source.clone(),
    })
}

/// Whether `picked` is exactly the answer to `question`.
pub fn is_right(question: &Question, picked: &[String]) -> bool {
    let picked: BTreeSet<&str> = picked.iter().map(String::as_str).collect();
    let answer: BTreeSet<&str> = question.answer.iter().map(String::as_str).collect();
    picked == answer
}

/// Scores `answers` against `lesson`'s quiz, refusing answers that do not fit it.
pub fn score(lesson: &Lesson, answers: &[Answer]) -> Result<Score, AnswerError> {
    let mut seen = HashSet::new();
    for a in answers {
        let Some(question) = lesson.questions.iter().find(|q| q.id == a.question_id) else {
            return Err(AnswerError::UnknownQuestion {
                lesson: lesson.id.clone(),
                question: a.question_id.clone(),
            });
        };
        if !seen.insert(a.question_id.as_str()) {
            return Err(AnswerError::Duplicate { question: a.question_id.clone() });
        }
        let offered = question.choices();
        if let Some(bad) = a.choices.iter().find(|c| !offered.iter().any(|o| &o.id == *c)) {
            return Err(AnswerError::UnknownChoice {
                question: a.question_id.clone(),
                choice: bad.clone(),
            });
        }
    }

    let mut results = Vec::with_capacity(lesson.questions.len());
    for question in &lesson.questions {
        let Some(answer) = answers.iter().find(|a| a.question_id == question.id) else {
            return Err(AnswerError::Unanswered { question: question.id.clone() });
        };
        results.push(QuestionResult {
            question_id: question.id.clone(),
            correct: is_right(question, &answer.choices),
        });
    }

    let total = results.len() as u32;
    let correct = results.iter().filter(|r| r.correct).count() as u32;
    Ok(Score {
        correct,
        total,
        passed: total > 0 && correct * 100 >= total * PASS_PERCENT,
        mastered: total > 0 && correct == total,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::content::bundled;

    fn lesson() -> &'static Lesson {
        bundled().lesson("energy-labels").expect("the energy label lesson is bundled")
    }

    fn answer(id: &str, choices: &[&str]) -> Answer {
        Answer {
            question_id: id.to_owned(),
            choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    /// The right answers, worked out by hand from the lesson file.
    fn all_right() -> Vec<Answer> {
        vec![
            answer("grade-best", &["a"]),
            answer("grade-not-absolute", &["false"]),
            answer("label-shows", &["d", "a", "b"]),
            answer("who-sets-grades", &["b"]),
            answer("greenmile-category", &["true"]),
            answer("grid-factor", &["a"]),
        ]
    }

    #[test]
    fn all_right_masters_and_order_of_choices_does_not_matter() {
        let s = score(lesson(), &all_right()).expect("valid answers");
        assert_eq!((s.correct, s.total, s.passed, s.mastered), (6, 6, true, true));
    }

    #[test]
    fn a_multiple_choice_answer_needs_every_right_choice_and_nothing_else() {
        let mut answers = all_right();
        answers[2] = answer("label-shows", &["a", "b"]);
        let s = score(lesson(), &answers).expect("valid answers");
        assert!(!s.results[2].correct, "a missing right choice makes the question wrong");
        assert_eq!((s.correct, s.passed, s.mastered), (5, true, false), "5 of 6 is 83 %, a pass");

        answers[2] = answer("label-shows", &["a", "b", "c", "d"]);
        assert!(!score(lesson(), &answers).expect("valid").results[2].correct);
    }

    #[test]
    fn four_of_six_fails_the_pass_mark() {
        let mut answers = all_right();
        answers[0] = answer("grade-best", &["c"]);
        answers[1] = answer("grade-not-absolute", &["true"]);
        let s = score(lesson(), &answers).expect("valid answers");
        assert_eq!((s.correct, s.passed), (4, false), "4 of 6 is 67 %, below 80 %");
    }

    #[test]
    fn answers_that_do_not_fit_the_quiz_are_refused() {
        let mut extra = all_right();
        extra.push(answer("no-such-question", &["a"]));
        assert!(matches!(score(lesson(), &extra), Err(AnswerError::UnknownQuestion { .. })));

        let mut twice = all_right();
        twice.push(answer("grade-best", &["a"]));
        assert!(matches!(score(lesson(), &twice), Err(AnswerError::Duplicate { .. })));

        let mut bad_choice = all_right();
        bad_choice[0] = answer("grade-best", &["z"]);
        assert!(matches!(score(lesson(), &bad_choice), Err(AnswerError::UnknownChoice { .. })));

        let short = &all_right()[1..];
        assert!(matches!(score(lesson(), short), Err(AnswerError::Unanswered { .. })));
    }
}
