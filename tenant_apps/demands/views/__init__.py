"""The porteur's pages: the demand form and the private follow-up."""
