"""Proposals' pages: the porteur's (follow-up page, catalogue), the team's, the partners'."""
