"""The benchmark suite (``make bench``, ``make bench-quick``): the hub beside two Django forum
peers installed from PyPI, every budget of design.md section 7 / issue 14 checked.

Entry point: ``python -m benchmarks [--quick] [--only thread,category,...]`` (``__main__``).
Pieces: ``stats`` (percentiles, spread), ``load`` (the concurrent HTTP load loop),
``processes`` (servers started and stopped by process id), ``budgets`` (PASS/FAIL),
``report`` (results.json and the Markdown table), ``ours`` and ``peers`` (set-up of each
system), ``scenarios`` (what is measured), ``inprocess`` (query counts and sessions, run
inside each system's own Python).
"""
