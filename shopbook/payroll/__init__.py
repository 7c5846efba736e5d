"""工资: the payroll job, its tax rules, its file adapter and its workbooks."""
