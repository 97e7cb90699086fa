"""The change log: every registry change, who made it, when, and the state before and after."""
