"""The town's outbox: every email is written in the same transaction as what caused it,
then delivered by a job; nothing is lost when Redis or the mail relay is down."""
