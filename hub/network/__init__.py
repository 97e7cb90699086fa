"""Park network intelligence: the park's firms as a graph, coverage, demand, use, figures."""
