//! The organisation's framework overlay: versions in order with who and when, the last in
//! force, and an apply that is one transaction (a process killed before it commits leaves the
//! version before in force).

use ladder_store::overlays;
use ladder_testkit::each_backend;

const FIRST: &str = "[[role]]\nid = \"team-leader\"\nname = \"Floor Lead\"\n";
const SECOND: &str = "[meta]\nid = \"acme\"\n";

#[tokio::test]
async fn each_apply_is_a_version_with_who_and_when_and_the_last_is_in_force() {
    each_backend(async |t| {
        let backend = t.backend;
        assert_eq!(overlays::current(&t.db).await.unwrap(), None, "{backend:?}: none at first");
        assert_eq!(overlays::apply(&t.db, FIRST, "hr.lead").await.unwrap(), 1);
        let before = chrono::Utc::now();
        assert_eq!(overlays::apply(&t.db, SECOND, "ops.admin").await.unwrap(), 2);
        let now = overlays::current(&t.db).await.unwrap().expect("stored");
        assert_eq!((now.version, now.overlay.as_str(), now.applied_by.as_str()), (2, SECOND, "ops.admin"));
        assert_eq!(now.sha256, overlays::sha256(SECOND));
        assert!(now.applied_at >= before - chrono::Duration::seconds(1), "{backend:?}: {now:?}");
        let history: Vec<(i64, String)> =
            overlays::history(&t.db).await.unwrap().into_iter().map(|(v, _, by, _)| (v, by)).collect();
        assert_eq!(history, vec![(2, "ops.admin".to_string()), (1, "hr.lead".to_string())]);

        // Too large, or too long a name: refused.
        let big = "#".repeat(overlays::MAX_OVERLAY_BYTES + 1);
        assert!(overlays::apply(&t.db, &big, "x").await.is_err());
        assert!(overlays::apply(&t.db, FIRST, &"x".repeat(overlays::MAX_APPLIED_BY + 1)).await.is_err());
        assert_eq!(overlays::current(&t.db).await.unwrap().unwrap().version, 2);
    })
    .await;
}

#[tokio::test]
async fn an_apply_that_never_commits_leaves_the_version_before_in_force() {
    each_backend(async |t| {
        let backend = t.backend;
        overlays::apply(&t.db, FIRST, "hr.lead").await.unwrap();
        // Killed between the write and the commit: the transaction goes with the connection.
        let mut tx = t.db.begin().await.unwrap();
        assert_eq!(overlays::apply_in(&mut tx, SECOND, "ops.admin", chrono::Utc::now()).await.unwrap(), 2);
        drop(tx);
        let now = overlays::current(&t.db).await.unwrap().unwrap();
        assert_eq!((now.version, now.overlay.as_str()), (1, FIRST), "{backend:?}");
        // The next apply takes the number the lost one would have had.
        assert_eq!(overlays::apply(&t.db, SECOND, "ops.admin").await.unwrap(), 2, "{backend:?}");
    })
    .await;
}
