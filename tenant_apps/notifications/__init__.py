"""What the town's team hears of inside the back-office (the bell), and by email if they
chose to: a demand assigned to them, porteurs' and partners' answers, porteurs' replies
by email, overdue tasks."""
