from tests.reviews.reanchoring_corpus import corpus, score


def test_comments_follow_their_text_and_almost_never_land_on_the_wrong_lines():
    cases = corpus()
    assert len(cases) >= 200
    overall = score(cases)["all"]
    assert overall.placed_wrong / overall.total < 0.02
    # Each kind of edit is represented, and comments whose text is gone are detached.
    kinds = score(cases)
    assert kinds["delete_section"].detached_right == kinds["delete_section"].total
    assert kinds["reword_anchor"].placed_right >= 0.9 * kinds["reword_anchor"].total
