# Money in the bureau's documents is grouped in thousands with commas (5,270,000.00 元);
# Django's own Chinese formats group by four with no separator. Other formats stay Django's.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
