"""The vignette suites, scored in CI on the fixture model, each reported on its own line.

Two kinds of suite (issue 10, item 6), kept apart on purpose:

* suites the rules and the generator were TUNED on: ``vignettes/tuning.jsonl``,
  ``vignettes/published_audit.jsonl`` (a standardized patient audit set rewritten as police
  requests), ``vignettes/independent_c.jsonl`` (a third writer's, in regional, custody
  and second-language voices) and ``vignettes/independent_d.jsonl`` (a fourth writer's:
  time-critical presentations in indirect words, and their look-alikes) and
  ``vignettes/independent_e.jsonl`` (two more writers': critical presentations told without
  their keywords, and minor complaints and look-alikes in lay, regional and custody voices),
  ``vignettes/independent_f.jsonl`` (two more: speech-to-text, CAD shorthand, dialect, pasted
  artefacts and contradicting fields; minor requests and their look-alikes),
  ``vignettes/independent_g.jsonl`` (two more, after published triage teaching cases and
  symptom-checker audit case mixes), ``vignettes/independent_h.jsonl`` (two more: emergencies
  beyond the spec's list, and look-alikes of every flag), ``vignettes/independent_i.jsonl``
  (children, pregnancy, and the physical emergency behind a mental-health or custody call),
  ``vignettes/independent_j.jsonl`` (older adults, care homes, Deaf and interpreted calls),
  ``vignettes/independent_k.jsonl`` (the everyday minor end written to tempt a keyword matcher,
  and the serious twin of each everyday complaint), ``vignettes/independent_l.jsonl`` (the
  night-time economy, festivals, sport, roads, water, weapons, drugs and poisons),
  ``vignettes/independent_m.jsonl`` (farms, hills, coast, water, railways and rural roads),
  ``vignettes/independent_n.jsonl`` (working-age medical, surgical and obstetric emergencies told
  by bystanders), ``vignettes/independent_o.jsonl`` (mental health, self-harm, domestic abuse,
  custody and section 136), ``vignettes/independent_p.jsonl`` (children and teenagers),
  ``vignettes/independent_q.jsonl`` (requests as typed, dictated and
  pasted: autocorrect, voice-to-text, capitals, radio fragments),
  ``vignettes/independent_r.jsonl`` (regional and community English, and interpreted calls),
  ``vignettes/independent_s.jsonl`` (long incident logs and multi-agency relays),
  ``vignettes/independent_t.jsonl`` (transport, escorts, roads, airports),
  ``vignettes/independent_u.jsonl`` (mental health and vulnerability work),
  ``vignettes/independent_v.jsonl`` (older people and long-term conditions),
  ``vignettes/independent_w.jsonl`` (homelessness, outreach and the night shift),
  ``vignettes/independent_x.jsonl`` (poisonings and the environment),
  ``vignettes/independent_y.jsonl`` (transport, rural and outdoor work),
  ``vignettes/independent_z.jsonl`` (interpreters and language lines),
  ``vignettes/independent_za.jsonl`` (children and young people),
  ``vignettes/independent_zb.jsonl`` (older people, care homes and welfare checks),
  ``vignettes/independent_zc.jsonl`` (requests as busy call handlers pass them on),
  ``vignettes/independent_zd.jsonl`` (sport, leisure and work),
  ``vignettes/independent_ze.jsonl`` (domestic abuse, sexual violence and safeguarding),
  ``vignettes/independent_zj.jsonl`` (patients' and bystanders' words quoted verbatim),
  ``vignettes/independent_zn.jsonl`` (the messy real-world record: CAD logs with updates,
  corrections and chatter; dictated and pasted text),
  ``vignettes/redteam_1.jsonl`` to ``vignettes/redteam_9.jsonl`` (nine red teams by helpers
  who had not read the tables, nineteenth to twenty-fourth sessions; committed and joined to the
  corpus on 2026-12-05, README_redteams.md),
  each tuned on from its first measurement and, since 2026-12-02, in the hand-written corpus
  the model is trained with (``vignettes/corpus.toml``, ``triage.corpus``), so their scores
  here are no longer a measure of the model's reach, only a guard against regressions;
  ``../shared/vignettes/examples.jsonl``, the project's gate suite, and
  ``vignettes/tuned_zl.jsonl`` and ``vignettes/tuned_zm.jsonl`` (formal police
  prose, two writers; the rules were tuned on them; listing them in the corpus was measured and
  not taken: docs/CLINICAL_SAFETY.md, H1 control 9) and ``vignettes/tuned_zo.jsonl`` (three
  blind writers' probes relayed across a language barrier, forty-first session; listing it in
  the corpus was measured and not taken: H2 control 34) and ``vignettes/tuned_zp.jsonl`` (two
  blind writers' standardised patient vignettes in the style of published audits, forty-second
  session: H2 control 35) and ``vignettes/tuned_zq.jsonl`` (a blind writer's assaults told
  obliquely, forty-third session: H2 control 36) (tuned on, never trained on);
* suites READ ONCE and neither tuned nor trained on: ``vignettes/measure_zf.jsonl``
  (regional and national dialects), ``vignettes/measure_zg.jsonl`` (professionals'
  handovers), ``vignettes/measure_zh.jsonl`` (complex needs and rare conditions),
  ``vignettes/measure_zi.jsonl`` (standardised-patient audit cases as police requests) and
  ``vignettes/measure_zk.jsonl`` (text pasted from other systems, with its Unicode artefacts),
  written last and read once on a finished product; kept out of the corpus because adding them cost
  synthetic diversion (docs/CLINICAL_SAFETY.md, H1 control 9);
* the SEALED suites ``vignettes/sealed.jsonl``, ``vignettes/sealed_2.jsonl``,
  ``vignettes/sealed_3.jsonl``, ``vignettes/sealed_4.jsonl``, ``vignettes/sealed_5.jsonl``,
  ``vignettes/sealed_6.jsonl``, ``vignettes/sealed_7.jsonl``, ``vignettes/sealed_8.jsonl``,
  ``vignettes/sealed_9.jsonl``, ``vignettes/sealed_10.jsonl``, ``vignettes/sealed_11.jsonl``
  (atypical presentations), ``vignettes/sealed_12.jsonl`` (published audit style),
  ``vignettes/sealed_13.jsonl`` (a week of ordinary traffic), ``vignettes/sealed_14.jsonl``
  (the night-time economy and public order), ``vignettes/sealed_15.jsonl`` (prisons,
  custody suites, courts and secure hospitals), ``vignettes/sealed_16.jsonl`` (mental-health
  crisis and street triage), ``vignettes/sealed_17.jsonl`` (terse radio and CAD shorthand),
  ``vignettes/sealed_18.jsonl`` (observation-heavy handovers),
  ``vignettes/sealed_19.jsonl`` (a call handler's running notes, with corrections),
  ``vignettes/sealed_20.jsonl`` (requests relayed through an interpreter or a relative),
  ``vignettes/sealed_21.jsonl`` and ``vignettes/sealed_22.jsonl`` (formal police prose:
  statements, notebook entries and body-worn-video summaries; two writers) and
  ``vignettes/sealed_23.jsonl`` (emergency SMS, text relay and chat messages),
  ``vignettes/sealed_24.jsonl`` (rural, coastal and outdoor requests),
  ``vignettes/sealed_25.jsonl`` (CAD logs whose fields were keyed at the first call),
  ``vignettes/sealed_26.jsonl`` (children, pregnancy and complex long-term conditions),
  ``vignettes/sealed_27.jsonl`` (published audit style, a second writer),
  ``vignettes/sealed_28.jsonl`` (SBAR handovers from a joint control room),
  ``vignettes/sealed_29.jsonl`` (street triage and custody healthcare),
  ``vignettes/sealed_30.jsonl`` (roads policing and British Transport Police),
  ``vignettes/sealed_31.jsonl`` (welfare checks, people found, and deaths),
  ``vignettes/sealed_32.jsonl`` (police call-takers' first-contact notes),
  ``vignettes/sealed_33.jsonl`` (officers on scene phoning the clinical desk in the regional
  English of the whole UK), ``vignettes/sealed_34.jsonl`` (reports passed on to the police by
  station staff, security, stewards, drivers, porters and other non-officers),
  ``vignettes/sealed_35.jsonl`` (domestic abuse, safeguarding and vulnerable-person visits),
  ``vignettes/sealed_36.jsonl`` (long-term and complex conditions, pregnancy and after birth),
  ``vignettes/sealed_37.jsonl`` (time-critical presentations police do not recognise, and their
  look-alikes), ``vignettes/sealed_38.jsonl`` (the night-time economy and events, older people
  living alone, workplaces and farms), ``vignettes/sealed_39.jsonl`` (children and young
  people; water, coast and outdoors), ``vignettes/sealed_40.jsonl`` (the messy real-world
  record, written beside ZN from the same brief), ``vignettes/sealed_41.jsonl`` (structured
  notes and forms, written after the thirty-third session's change to how forms are read),
  ``vignettes/sealed_42.jsonl`` (histories, earlier incidents and corrected first reports
  beside the present, written while the thirty-fourth session's history reading was built),
  ``vignettes/sealed_43.jsonl`` (requests about more than one person, written while the
  thirty-fifth session's reading of a living person beside a death was built),
  ``vignettes/sealed_44.jsonl`` (the everyday control room on a busy weekend, in varied voices,
  written while the thirty-sixth session's reading of someone alive beside a death was built),
  ``vignettes/sealed_45.jsonl`` (standardised-patient audit cases rewritten as police requests,
  a third writer, written while the thirty-seventh session's hedged wordings were read),
  ``vignettes/sealed_46.jsonl`` (welfare checks, deaths, apparent deaths and people found, a
  control-room supervisor's voice, written while the thirty-eighth session's death readings
  were built), ``vignettes/sealed_47.jsonl`` (officers asking the clinical desk for a
  decision: conveying, detaining, leaving someone at home; written at the start of the
  thirty-ninth session), ``vignettes/sealed_48.jsonl`` (a young officer's late-shift slang,
  regional wording and fast typing, written at the start of the fortieth session),
  ``vignettes/sealed_49.jsonl`` (requests relayed at second hand and across a language barrier:
  broken English word for word, interpreters, children translating; written at the start of
  the forty-first session), ``vignettes/sealed_50.jsonl`` (standardised patient vignettes as
  published symptom-checker audits write them, relayed by police; written at the start of the
  forty-second session), ``vignettes/sealed_51.jsonl`` (police custody and mental-health
  requests in the words of custody staff, street-triage nurses and officers holding someone
  under s136; written at the start of the forty-third session), ``vignettes/sealed_52.jsonl``
  (welfare checks, forced entries, found persons and sudden deaths in police shorthand; written
  at the start of the forty-fourth session), ``vignettes/sealed_53.jsonl`` (roads, water,
  weather, heights and workplaces, in the words of roads policing, BTP, marine units and site
  managers; written at the start of the forty-fifth session), ``vignettes/sealed_54.jsonl``
  (alcohol, drugs and the night-time economy, in the words of police operators, door staff,
  friends and welfare teams; written at the start of the forty-sixth session), each written
  by someone who never saw the rules and never used to tune or train anything
  (the corpus loader refuses them by name and by content). Their floors
  below guard against regressions; they are not a target to tune to, and a failure here is
  fixed by improving the product on other evidence.

Scores go to ``tests/artifacts/suite_scores/``; ``conftest.py`` prints them at the end of
the run. The fixture model is small (30,000 synthetic rows), so model-dependent figures here
are lower than a production-sized model's; the red flags do not depend on the model.
All vignettes are SYNTHETIC.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage.predictor import Predictor
from triage.vignettes import load_vignettes, score_vignettes

ROOT = Path(__file__).resolve().parents[1]
#: One JSON file per suite (test workers run in parallel); conftest.py prints them all.
SCORES_DIR = ROOT / "tests" / "artifacts" / "suite_scores"

#: suite -> (kind, minimum critical sensitivity, minimum acceptable rate) on the fixture model
SUITES: dict[str, tuple[str, float, float]] = {
    "vignettes/tuning.jsonl": ("tuned and trained on", 1.0, 0.75),
    "vignettes/published_audit.jsonl": ("tuned on, not trained on", 0.9, 0.75),
    "vignettes/independent_c.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_d.jsonl": ("tuned and trained on", 0.95, 0.70),
    "vignettes/independent_e.jsonl": ("tuned and trained on", 0.95, 0.75),
    "vignettes/independent_f.jsonl": ("tuned and trained on", 0.95, 0.70),
    "../shared/vignettes/examples.jsonl": ("tuned on, not trained on", 1.0, 0.8),
    "vignettes/sealed.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_2.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_g.jsonl": ("tuned and trained on", 0.95, 0.75),
    "vignettes/independent_h.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_i.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_j.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_k.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_l.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_m.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_n.jsonl": ("tuned and trained on", 0.95, 0.60),
    "vignettes/independent_o.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_p.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_q.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_3.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_r.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_4.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_5.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_s.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_t.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_6.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_u.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_7.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_v.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_8.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_w.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_9.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_10.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_x.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_11.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_y.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_12.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_13.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_z.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_za.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_zb.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_14.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/independent_zc.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_zd.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_ze.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_zj.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/independent_zn.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/sealed_15.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_16.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_17.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_18.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_19.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_20.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_21.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_22.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_23.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_24.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_25.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_26.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_27.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_28.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_29.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_30.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_31.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_32.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_33.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_34.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_35.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_36.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_37.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_38.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_39.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_40.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_41.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_42.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_43.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_44.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_45.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_46.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_47.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_48.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_49.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_50.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_51.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_52.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_53.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/sealed_54.jsonl": ("SEALED, never tuned on", 0.95, 0.70),
    "vignettes/redteam_1.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_2.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_3.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_4.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_5.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_6.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_7.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_8.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/redteam_9.jsonl": ("tuned and trained on", 0.95, 0.65),
    "vignettes/tuned_zl.jsonl": ("tuned on, not trained on", 0.95, 0.70),
    "vignettes/tuned_zm.jsonl": ("tuned on, not trained on", 0.95, 0.70),
    "vignettes/tuned_zo.jsonl": ("tuned on, not trained on", 0.95, 0.70),
    "vignettes/tuned_zp.jsonl": ("tuned on, not trained on", 0.95, 0.70),
    "vignettes/tuned_zq.jsonl": ("tuned on, not trained on", 0.95, 0.70),
    "vignettes/measure_zf.jsonl": ("read once, not tuned or trained on", 0.95, 0.70),
    "vignettes/measure_zg.jsonl": ("read once, not tuned or trained on", 0.95, 0.70),
    "vignettes/measure_zh.jsonl": ("read once, not tuned or trained on", 0.95, 0.70),
    "vignettes/measure_zi.jsonl": ("read once, not tuned or trained on", 0.95, 0.70),
    "vignettes/measure_zk.jsonl": ("read once, not tuned or trained on", 0.95, 0.70),
}


def _record(name: str, figures: dict[str, object]) -> None:
    SCORES_DIR.mkdir(parents=True, exist_ok=True)
    path = SCORES_DIR / (Path(name).stem + ".json")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"suite": name, **figures}), encoding="utf-8")
    tmp.replace(path)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SUITES))
def test_suite_scores(name: str, predictor: Predictor) -> None:
    kind, min_sensitivity, min_acceptable = SUITES[name]
    vignettes = load_vignettes(ROOT / name)
    got = predictor.suggest_many([v.request for v in vignettes])
    score = score_vignettes(vignettes, [s.suggestion for s in got])
    _record(name, {
        "kind": kind,
        "n": score.n,
        "n_critical": score.n_critical,
        "critical_sensitivity": score.critical_sensitivity,
        "acceptable_rate": score.acceptable_rate,
        "over_triage_rate": score.over_triage_rate,
        "unfamiliar": sum(s.unfamiliar_wording for s in got),
        "model": predictor.version,
    })
    assert score.critical_sensitivity >= min_sensitivity, (
        f"{name}: critical misses {[v.id for v in score.critical_misses]}"
    )
    assert score.acceptable_rate >= min_acceptable
