"""Sending an order, or some of its lines, to a partner lab: the labs link by invitation, the
partner gets an order of its own with the sending lab as its customer, and the sender follows
its status."""
