"""Answer understanding: what an employee's free-text answer to a questionnaire item means (logic here, words in
data/*.yaml)."""
