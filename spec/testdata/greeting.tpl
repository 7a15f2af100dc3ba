hello ${name}%{ for p in ports } :${p}%{ endfor } ${upper(name)}
