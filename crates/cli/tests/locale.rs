//! The language of the CLI's own words as a user sets it: the data folder's `locale` setting,
//! then the environment, with `--lang` over both for the quiz. The real binary, temporary data
//! folders.

mod common;

use std::path::Path;

/// Standard error of `greenmile whoami` in a folder no one signed in to.
fn signed_out_error(dir: &Path, env: &[(&str, &str)]) -> String {
    let r = common::run(dir, &["whoami"], env);
    assert_eq!(r.code, 1, "no one is signed in: {}", r.stdout);
    r.stderr
}

const ZH_SIGN_IN: &str = "错误：需要登录：sign in first: no one is signed in to this data folder; \
                          run `greenmile login` first\n\
                          提示：请用 `greenmile login --server URL --email ADDRESS` 登录\n";
const EN_SIGN_IN: &str = "error: sign in first: no one is signed in to this data folder; run \
                          `greenmile login` first\n\
                          hint: sign in with `greenmile login --server URL --email ADDRESS`\n";

#[test]
fn errors_follow_the_environment_when_the_folder_has_no_setting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let chinese = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "zh_CN.UTF-8")];
    assert_eq!(signed_out_error(dir.path(), &chinese), ZH_SIGN_IN);
    let english = [("LC_ALL", "C.UTF-8"), ("LANG", "zh_CN.UTF-8")];
    assert_eq!(signed_out_error(dir.path(), &english), EN_SIGN_IN, "LC_ALL comes before LANG");
    assert!(!dir.path().join("greenmile.sqlite").exists(), "reading the language made no cache");
}

#[test]
fn the_locale_setting_comes_before_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let set = common::run(dir.path(), &["settings", "set", "locale", "zh-CN"], &[]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert_eq!(signed_out_error(dir.path(), &[("LC_ALL", "en_US.UTF-8")]), ZH_SIGN_IN);

    let r = common::run(dir.path(), &["bills", "--category", "nope"], &[("LC_ALL", "en_US")]);
    assert!(
        r.stderr.starts_with("错误：输入未被接受：no category \"nope\"; use one of "),
        "the core's detail under a Chinese headline: {}",
        r.stderr
    );

    let set = common::run(dir.path(), &["settings", "set", "locale", "en"], &[]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert_eq!(signed_out_error(dir.path(), &[("LC_ALL", "zh_CN.UTF-8")]), EN_SIGN_IN);
}

#[test]
fn the_quiz_lang_flag_comes_before_the_setting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let set = common::run(dir.path(), &["settings", "set", "locale", "zh-CN"], &[]);
    assert_eq!(set.code, 0, "{}", set.stderr);

    let zh = common::run(dir.path(), &["quiz", "list"], &[]);
    assert!(
        zh.stdout
            .ends_with("用 `greenmile quiz take LESSON` 开始测验，LESSON 是上面列出的课程编号。\n"),
        "{}",
        zh.stdout
    );
    assert!(zh.stdout.contains("  6 题  能效标识"), "{}", zh.stdout);

    let en = common::run(dir.path(), &["quiz", "list", "--lang", "en"], &[]);
    assert!(en.stdout.ends_with("Take one with `greenmile quiz take LESSON`.\n"), "{}", en.stdout);
    assert!(en.stdout.contains("  6 questions  Energy labels"), "{}", en.stdout);

    let fr = common::run(dir.path(), &["quiz", "list", "--lang", "fr"], &[]);
    assert_eq!(
        fr.stderr, "错误：输入未被接受：课程没有 \"fr\" 版本；请用 --lang zh-CN 或 --lang en\n",
        "refused in the folder's language"
    );
}
