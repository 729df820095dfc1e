from celery import shared_task

from reviews.reminders import remind_due_reviews


@shared_task(name="reviews.remind_due_reviews")
def remind_due_reviews_task() -> None:
    remind_due_reviews()
