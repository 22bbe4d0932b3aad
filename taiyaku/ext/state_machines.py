"""Parse reStructuredText with docutils' state machines kept between parses.

Sphinx parses every translated message as a document of its own (``sphinx.transforms.i18n``):
6,700 of them for the English at a hundred times this section. docutils builds a new
``RSTStateMachine`` for each parse — fifteen state objects, each binding its transitions —
and that construction, not the parsing, was 38% of reading the English (2.35 s of 6.2 s
at ten times this section, under the profiler). docutils itself keeps the state machines
of nested parses for reuse (``RSTState.nested_sm_cache``, one list for the process): a
machine is ready for another run once a run has ended. This parser does the same for the
top-level machine: one is taken from a small pool, run, cleared of the document it
parsed, and put back. The pages are the same (``tests/test_extensions.py``); a run
that raises drops its machine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import docutils.statemachine
from docutils.parsers.rst import states
from docutils.statemachine import StringList
from sphinx.parsers import RSTParser

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

# (state classes, initial state, debug) → machines not in use; a parse inside a parse (a
# directive's content parsed while its document is) takes a second one
_idle: list[tuple[tuple, states.RSTStateMachine]] = []


def take(key: tuple) -> states.RSTStateMachine | None:
    for index in range(len(_idle) - 1, -1, -1):
        if _idle[index][0] == key:
            return _idle.pop(index)[1]
    return None


def release(machine: states.RSTStateMachine) -> None:
    """Forget the document the machine parsed (its states point at it until their next run)."""
    machine.observers.clear()           # run() attaches the document's; kept, they would pile up
    machine.node = machine.memo = machine.document = machine.reporter = None
    for state in machine.states.values():
        state.memo = state.document = state.inliner = state.reporter = None


class ReusingRSTParser(RSTParser):
    """Sphinx's reStructuredText parser (``sphinx.parsers.RSTParser.parse``), its state machine
    taken from the pool instead of built anew."""

    def parse(self, inputstring: str | StringList, document: nodes.document) -> None:
        self.setup_parse(inputstring, document)  # type: ignore[arg-type]
        debug = document.reporter.debug_flag
        key = (tuple(self.state_classes), self.initial_state, debug)
        machine = take(key) or states.RSTStateMachine(state_classes=self.state_classes,
                                                      initial_state=self.initial_state, debug=debug)
        if isinstance(inputstring, str):
            lines = docutils.statemachine.string2lines(inputstring, tab_width=document.settings.tab_width,
                                                       convert_whitespace=True)
            inputlines = StringList(lines, document.current_source)
        else:
            inputlines = inputstring
        self.decorate(inputlines)
        self.statemachine = machine
        try:
            machine.run(inputlines, document, inliner=self.inliner)
        except BaseException:
            machine.unlink()                 # left half-way: not reused
            raise
        finally:
            self.statemachine = None
        self.finish_parse()
        release(machine)
        _idle.append((key, machine))


def use_reusing_parser(app: Sphinx, config) -> None:
    if config.taiyaku_reuse_state_machines:
        app.add_source_parser(ReusingRSTParser, override=True)


def setup(app: Sphinx) -> dict:
    # off: docutils builds every machine anew (the test that the doctrees are the same)
    app.add_config_value('taiyaku_reuse_state_machines', True, '', types=frozenset({bool}))
    app.connect('config-inited', use_reusing_parser)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
